// The logic every server in the benchmark runs: validate the id with zod, build a service
// for the request, return the user as JSON.
import { z } from "zod";

export const UserParams = z.object({ id: z.coerce.number().int().positive() });

export interface User {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly string[];
}

/** A per-request service (scoped in DI where the framework has DI). */
export class UserService {
  find(id: number): User {
    return { id, name: `user ${id}`, email: `user${id}@example.com`, roles: ["member"] };
  }
}

export function announce(port: number): void {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}
