import type { Database } from "../database.ts";
import { OrmError } from "../errors.ts";
import type { AnyEntity, KeyOf, Row } from "../schema/define-entity.ts";
import type { Snapshot } from "../snapshot.ts";
import { type ContextOptions, type FromQuery, QueryContext } from "./query-context.ts";

/**
 * A context for reads only: it borrows reader connections (SQLite readers, PostgreSQL read-only
 * sessions or a replica), returns frozen snapshots, and has no write methods in its type. Writes
 * forced through anyway fail with `ORM_READ_ONLY`, in this class and in the database.
 *
 * @example
 * ```ts
 * class Reports extends ReadOnlyDbContext {}
 * await using reports = new Reports(database);
 * const total = await reports.from(Post).count();
 * ```
 */
export class ReadOnlyDbContext<DB = any> extends QueryContext<DB> {
  constructor(database: Database, options: ContextOptions = {}) {
    super(database, true, options);
  }

  /** Starts a typed query of `entity`; rows are frozen snapshots. */
  from<E extends AnyEntity>(entity: E): FromQuery<E, "fixed"> {
    return this.startQuery(entity, false);
  }

  /** The row with this primary key, as a frozen snapshot. */
  find<E extends AnyEntity>(entity: E, key: KeyOf<E>): Promise<Snapshot<Row<E>> | undefined> {
    return this.findRow(entity, key, false) as Promise<Snapshot<Row<E>> | undefined>;
  }
}

// The type has no write methods; code that casts its way to them still gets a typed error.
const refuse = (context: object, method: string): OrmError =>
  new OrmError(
    "ORM_READ_ONLY",
    `${context.constructor.name}.${method}(): a ReadOnlyDbContext cannot write; use a DbContext`,
  );
for (const method of ["add", "remove", "attach"]) {
  Object.defineProperty(ReadOnlyDbContext.prototype, method, {
    enumerable: false,
    value(this: ReadOnlyDbContext): never {
      throw refuse(this, method);
    },
  });
}
for (const method of ["saveChanges", "transaction"]) {
  Object.defineProperty(ReadOnlyDbContext.prototype, method, {
    enumerable: false,
    value(this: ReadOnlyDbContext): Promise<never> {
      return Promise.reject(refuse(this, method));
    },
  });
}
