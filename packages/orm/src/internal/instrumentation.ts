// The one place a query is wrapped for telemetry: a span per statement (db.system, the
// parameterized statement, the row count) through @dext/telemetry's withSpan, the
// db_query_duration_seconds histogram and db_query_errors_total counter, `database.onQuery`
// listeners and the slow-query log. With none of them, the hot path skips it entirely.
// Streams are measured over their whole life (see `startStream`).
import type { Logger } from "@dext/core-di";
import type { Telemetry } from "@dext/telemetry";
import { context, type Span, SpanKind, SpanStatusCode } from "@opentelemetry/api";
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
  /**
   * How long the database worked on it, in ms. For a stream, the time spent fetching its
   * batches (not the time the loop body spent between them).
   */
  readonly durationMs: number;
  readonly error: unknown;
  /** Streams only: how many batches the cursor fetched (each one round trip on PostgreSQL). */
  readonly batches?: number;
}

/** A stream being measured, from its cursor's opening to its end. */
export interface StreamMeasure {
  /** One fetch from the cursor: the rows it brought and how long it took. */
  fetched(rows: number, ms: number): void;
  /** The cursor closed (finished, broken out of, or failed with `error`). */
  end(error: unknown): void;
}

/** The OpenTelemetry `db.system` of a dialect. */
const systems: Readonly<Record<Dialect, string>> = { postgres: "postgresql", sqlite: "sqlite" };

interface Bound {
  observe(value: number): void;
}

export class Instrumentation {
  readonly dialect: Dialect;
  readonly #listeners = new Set<(event: QueryEvent) => void>();
  readonly #logger: Logger | undefined;
  readonly #slowMs: number;
  readonly #telemetry: Telemetry | undefined;
  readonly #durations = new Map<QueryOperation, Bound>();
  /** False when nothing listens: callers then run statements without measuring them. */
  active = false;

  constructor(
    dialect: Dialect,
    logger: Logger | undefined,
    slowMs: number,
    telemetry: Telemetry | undefined,
  ) {
    this.dialect = dialect;
    this.#logger = logger;
    this.#slowMs = slowMs;
    this.#telemetry = telemetry;
    this.#refresh();
  }

  #refresh(): void {
    this.active =
      this.#telemetry !== undefined ||
      this.#listeners.size > 0 ||
      (this.#logger !== undefined && this.#slowMs > 0);
  }

  listen(listener: (event: QueryEvent) => void): () => void {
    this.#listeners.add(listener);
    this.#refresh();
    return () => {
      this.#listeners.delete(listener);
      this.#refresh();
    };
  }

  /** Runs `run` measured (and in a span when tracing is on); sync or async alike. */
  wrap<R extends QueryOutcome | Promise<QueryOutcome>>(
    operation: QueryOperation,
    sql: string,
    run: () => R,
  ): R {
    const t = this.#telemetry;
    if (t?.tracingEnabled) {
      return t.withSpan(
        `db.${operation}`,
        { "db.system": systems[this.dialect], "db.operation": operation, "db.statement": sql },
        (span) => this.#measure(operation, sql, run, span),
        { kind: SpanKind.CLIENT },
      );
    }
    return this.#measure(operation, sql, run, undefined);
  }

  /**
   * Measures a stream over its life: one span from the cursor's opening to its close (the
   * consumer's loop runs inside it), and at the end one `onQuery` event, one
   * `db_query_duration_seconds` observation and the slow-query check, with the rows streamed
   * and the time spent fetching them.
   */
  startStream(sql: string): StreamMeasure {
    const operation: QueryOperation = "select";
    const t = this.#telemetry;
    const span = t?.tracingEnabled
      ? t.tracer.startSpan(
          `db.${operation}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              "db.system": systems[this.dialect],
              "db.operation": operation,
              "db.statement": sql,
              "db.stream": true,
            },
          },
          context.active(),
        )
      : undefined;
    let rows = 0;
    let batches = 0;
    let ms = 0;
    let ended = false;
    return {
      fetched(n: number, took: number): void {
        if (n > 0) batches++;
        rows += n;
        ms += took;
      },
      end: (error: unknown): void => {
        if (ended) return;
        ended = true;
        span?.setAttribute("db.stream.batches", batches);
        if (span !== undefined && error !== undefined) {
          const message = error instanceof Error ? error.message : String(error);
          span.recordException(error instanceof Error ? error : message);
          span.setStatus({ code: SpanStatusCode.ERROR, message });
        }
        this.#report(operation, sql, rows, ms, error, span, batches);
        span?.end();
      },
    };
  }

  #measure<R extends QueryOutcome | Promise<QueryOutcome>>(
    operation: QueryOperation,
    sql: string,
    run: () => R,
    span: Span | undefined,
  ): R {
    const start = performance.now();
    let result: R;
    try {
      result = run();
    } catch (error) {
      this.#emit(operation, sql, 0, start, error, span);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (r: QueryOutcome) => {
          this.#emit(operation, sql, r.rows.length || r.affected, start, undefined, span);
          return r;
        },
        (error: unknown) => {
          this.#emit(operation, sql, 0, start, error, span);
          throw error;
        },
      ) as R;
    }
    const r = result as QueryOutcome;
    this.#emit(operation, sql, r.rows.length || r.affected, start, undefined, span);
    return result;
  }

  #duration(operation: QueryOperation): Bound {
    let b = this.#durations.get(operation);
    if (b === undefined) {
      b = this.#telemetry!.db.queryDuration.labels({ system: systems[this.dialect], operation });
      this.#durations.set(operation, b);
    }
    return b;
  }

  #emit(
    operation: QueryOperation,
    sql: string,
    rows: number,
    start: number,
    error: unknown,
    span: Span | undefined,
  ): void {
    this.#report(operation, sql, rows, performance.now() - start, error, span, undefined);
  }

  #report(
    operation: QueryOperation,
    sql: string,
    rows: number,
    durationMs: number,
    error: unknown,
    span: Span | undefined,
    batches: number | undefined,
  ): void {
    if (this.#telemetry !== undefined) {
      this.#duration(operation).observe(durationMs / 1000);
      if (error !== undefined) {
        this.#telemetry.db.queryErrorsTotal.inc({ system: systems[this.dialect], operation });
      }
    }
    span?.setAttribute("db.rows", rows);
    if (this.#listeners.size > 0) {
      const event: QueryEvent =
        batches === undefined
          ? { dialect: this.dialect, operation, sql, rows, durationMs, error }
          : { dialect: this.dialect, operation, sql, rows, durationMs, error, batches };
      for (const l of this.#listeners) {
        try {
          l(event);
        } catch (e) {
          this.#logger?.error({ err: e }, "an onQuery listener threw");
        }
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
  const head = sql.trimStart().slice(0, 8).toLowerCase();
  if (head.startsWith("select") || head.startsWith("with")) return "select";
  if (head.startsWith("insert")) return "insert";
  if (head.startsWith("update")) return "update";
  if (head.startsWith("delete")) return "delete";
  if (/^(begin|commit|rollback|savepoin|release|start)/.test(head)) return "transaction";
  return "other";
}
