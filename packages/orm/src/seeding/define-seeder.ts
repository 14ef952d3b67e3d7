import { OrmError } from "../errors.ts";
import type { SeedDb } from "./seed-db.ts";

/** A seeder as written: what it is called, where it runs, and what it does. */
export interface SeederDefinition {
  /** Unique among the seeders; recorded with the environment once it ran. */
  readonly name: string;
  /** Only in these environments (default: every one). */
  readonly environments?: readonly string[] | undefined;
  /** Bump it to run the seeder again where it already ran (default `1`). */
  readonly version?: string | number | undefined;
  /** Writes the data, inside a transaction: a seeder that throws leaves nothing behind. */
  run(db: SeedDb): void | Promise<void>;
}

/** A checked seeder, as {@link defineSeeder} returns it. */
export interface Seeder {
  readonly name: string;
  readonly environments: readonly string[] | undefined;
  readonly version: string;
  run(db: SeedDb): void | Promise<void>;
}

/**
 * Declares a seeder: idempotent data (upserts by natural key) that runs once per environment
 * (again when its `version` changes, or when forced), in the host's Seeding state after the
 * migrations.
 *
 * @example
 * ```ts
 * export const roles = defineSeeder({
 *   name: "roles",
 *   async run(db) {
 *     await db.upsert(Role, [{ name: "admin" }, { name: "member" }], { by: Role.name });
 *   },
 * });
 * ```
 */
export function defineSeeder(definition: SeederDefinition): Seeder {
  const d = definition as Partial<SeederDefinition> | undefined;
  const where = `defineSeeder(${JSON.stringify(d?.name)})`;
  if (typeof d?.name !== "string" || d.name.trim().length === 0) {
    throw new OrmError("ORM_INVALID_CONFIG", `${where}: a seeder needs a name`);
  }
  if (typeof d.run !== "function") {
    throw new OrmError("ORM_INVALID_CONFIG", `${where}: run must be a function (db) => { ... }`);
  }
  const envs = d.environments;
  if (
    envs !== undefined &&
    (!Array.isArray(envs) || envs.length === 0 || envs.some((e) => typeof e !== "string"))
  ) {
    throw new OrmError(
      "ORM_INVALID_CONFIG",
      `${where}: environments must be a non-empty list of names, like ["development", "test"]`,
    );
  }
  const version = d.version ?? 1;
  if (typeof version !== "string" && typeof version !== "number") {
    throw new OrmError("ORM_INVALID_CONFIG", `${where}: version must be a string or a number`);
  }
  const run = d.run.bind(d);
  return Object.freeze({
    name: d.name,
    environments: envs === undefined ? undefined : Object.freeze([...envs]),
    version: String(version),
    run,
  });
}
