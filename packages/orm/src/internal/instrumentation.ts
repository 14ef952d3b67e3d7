// The one place a query is wrapped for telemetry (issue: a span per query with db.system, the
// parameterized statement and the row count, and the db_query_duration_seconds histogram, from
// @dext/telemetry once it lands). Until then it feeds `database.onQuery` listeners and the
// slow-query log; with neither, the hot path skips it entirely.
import type { Logger } from "@dext/core-di";
import type { Dialect } from "../pool/connection-pool.ts";
import type { QueryOutcome } from "./driver-connection.ts";

/** The statement kinds the duration histogram is labelled with. */
export type QueryOperation = "select" | "insert" | "update" | "delete" | "transaction" | "other";

/** What `database.onQuery` listeners receive after every statement. */
export interface QueryEvent {
  readonly dialect: Dialect;
  readonly operation: QueryOperation;
  /** The parameterized SQL (values are never included). */
  readonly sql: string;
  readonly rows: number;
  readonly durationMs: number;
  readonly error: unknown;
}

export class Instrumentation {
  readonly dialect: Dialect;
  readonly #listeners = new Set<(event: QueryEvent) => void>();
  readonly #logger: Logger | undefined;
  readonly #slowMs: number;
  /** False when nobody listens: callers then run statements without measuring them. */
  active = false;

  constructor(dialect: Dialect, logger: Logger | undefined, slowMs: number) {
    this.dialect = dialect;
    this.#logger = logger;
    this.#slowMs = slowMs;
    this.active = logger !== undefined && slowMs > 0;
  }

  listen(listener: (event: QueryEvent) => void): () => void {
    this.#listeners.add(listener);
    this.active = true;
    return () => {
      this.#listeners.delete(listener);
      this.active = this.#listeners.size > 0 || (this.#logger !== undefined && this.#slowMs > 0);
    };
  }

  /** Runs `run` measured; works for the synchronous SQLite path and the async one alike. */
  wrap<R extends QueryOutcome | Promise<QueryOutcome>>(
    operation: QueryOperation,
    sql: string,
    run: () => R,
  ): R {
    const start = performance.now();
    let result: R;
    try {
      result = run();
    } catch (error) {
      this.#emit(operation, sql, 0, start, error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (r: QueryOutcome) => {
          this.#emit(operation, sql, r.rows.length || r.affected, start, undefined);
          return r;
        },
        (error: unknown) => {
          this.#emit(operation, sql, 0, start, error);
          throw error;
        },
      ) as R;
    }
    const r = result as QueryOutcome;
    this.#emit(operation, sql, r.rows.length || r.affected, start, undefined);
    return result;
  }

  #emit(operation: QueryOperation, sql: string, rows: number, start: number, error: unknown): void {
    const durationMs = performance.now() - start;
    const event: QueryEvent = { dialect: this.dialect, operation, sql, rows, durationMs, error };
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (e) {
        this.#logger?.error({ err: e }, "an onQuery listener threw");
      }
    }
    if (this.#slowMs > 0 && durationMs >= this.#slowMs) {
      this.#logger?.warn(
        { dialect: this.dialect, operation, sql, rows, durationMs: Math.round(durationMs) },
        "slow query",
      );
    }
  }
}

/** The operation of a SQL text, from its first keyword. */
export function operationOf(sql: string): QueryOperation {
  const head = sql.trimStart().slice(0, 7).toLowerCase();
  if (head.startsWith("select") || head.startsWith("with")) return "select";
  if (head.startsWith("insert")) return "insert";
  if (head.startsWith("update")) return "update";
  if (head.startsWith("delete")) return "delete";
  if (
    head.startsWith("begin") ||
    head.startsWith("commit") ||
    head.startsWith("rollbac") ||
    head.startsWith("savepoi") ||
    head.startsWith("release")
  ) {
    return "transaction";
  }
  return "other";
}
