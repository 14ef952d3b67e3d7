import type { AnyColumnRef, ColumnRef } from "../schema/column-ref.ts";
import type { Snapshot } from "../snapshot.ts";

/** How a query returns rows: frozen snapshots (trackable), tracked entities, or fixed snapshots. */
export type QueryMode = "snapshot" | "tracked" | "fixed";

/** What a query yields per row in `mode`. */
export type QueryResult<R, M extends QueryMode> = M extends "tracked" ? R : Snapshot<R>;

export type ReadOf<C> = C extends ColumnRef<any, any, any, infer R> ? R : never;
type KeyOfRef<C> = C extends ColumnRef<any, infer K, any, any> ? K : never;

/** The row `select(User.id, User.name)` returns. */
export type SelectedRow<C extends readonly AnyColumnRef[]> = {
  -readonly [P in C[number] as KeyOfRef<P>]: ReadOf<P>;
};

/** Options of {@link Query.stream}. */
export interface StreamOptions {
  /** Rows fetched per round trip (default 200). */
  readonly batchSize?: number;
}
