import { currentScope, ServiceCollection, type ServiceProvider } from "@dext/core-di";
import { type Database, DatabaseToken, DbContext } from "../../src/index.ts";
import { Post, User } from "./model.ts";

export class RequestDb extends DbContext {}

export function stressProvider(database: Database): ServiceProvider {
  return new ServiceCollection()
    .addSingleton(DatabaseToken, { useValue: database })
    .addDbContext(RequestDb, { lifetime: "scoped" })
    .build();
}

export interface RoundResult {
  readonly succeeded: number[];
  readonly failed: number[];
  readonly unexpected: unknown[];
  /** Every object each request received, to prove none crossed contexts. */
  readonly objectsByRequest: Set<object>[];
}

class PlannedFailure extends Error {}

/**
 * `requests` simulated requests at once, each in its own DI scope with a scoped DbContext:
 * reads (a primary-key lookup, a list with an include), writes in a transaction (a user, a
 * post, then an update of that user), and every tenth request failing after it saved.
 */
export async function runRound(
  provider: ServiceProvider,
  round: string,
  requests = 200,
  seedUserId = 1,
): Promise<RoundResult> {
  const succeeded: number[] = [];
  const failed: number[] = [];
  const unexpected: unknown[] = [];
  const objectsByRequest = Array.from({ length: requests }, () => new Set<object>());
  await Promise.all(
    Array.from({ length: requests }, async (_, i) => {
      const seen = objectsByRequest[i]!;
      try {
        await using scope = provider.createScope();
        await scope.run(async () => {
          const db = currentScope().resolve(RequestDb);
          const seed = await db.find(User, seedUserId);
          if (seed) seen.add(seed);
          const list = await db
            .from(User)
            .include(User.posts)
            .where(User.id.lte(seedUserId + 5))
            .all();
          for (const u of list) {
            seen.add(u);
            for (const p of u.posts) seen.add(p);
          }
          if (seed && !(list as readonly object[]).includes(seed)) {
            throw new Error(`identity map broke in request ${i}: include() copied a found row`);
          }
          await db.transaction(async (tx) => {
            const user = tx.add(User, { email: `${round}-${i}@stress.test`, name: `request ${i}` });
            tx.add(Post, { author: user, title: `post of ${i}` });
            await tx.saveChanges();
            seen.add(user);
            user.bio = `updated by ${i}`;
            await tx.saveChanges();
            const again = await tx.find(User, user.id, { tracked: true });
            if (again !== user) throw new Error(`identity map broke in request ${i}`);
            if (i % 10 === 0) throw new PlannedFailure(`request ${i} fails on purpose`);
          });
        });
        succeeded.push(i);
      } catch (error) {
        if (error instanceof PlannedFailure) failed.push(i);
        else unexpected.push(error);
      }
    }),
  );
  return { succeeded, failed, unexpected, objectsByRequest };
}
