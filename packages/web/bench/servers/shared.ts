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

/**
 * The span sink of the telemetry runs: every sampled span goes through OpenTelemetry's batch
 * processor as in production, and the exporter drops each batch on arrival. It stands for a
 * collector that costs nothing to reach, so the numbers are what tracing costs the process
 * (an exporter that kept spans for a while would add GC work no real exporter has).
 */
export class DiscardingSpanExporter {
  exported = 0;
  export(spans: readonly unknown[], done: (result: { code: 0 }) => void): void {
    this.exported += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
