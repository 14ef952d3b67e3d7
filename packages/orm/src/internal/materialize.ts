import type { QueryState } from "../query/query.ts";
import { freezeSnapshot } from "../snapshot.ts";
import type { ContextCore } from "./context-core.ts";
import { loadIncludes } from "./include-loader.ts";
import type { CompiledShape } from "./shape-cache.ts";

/**
 * Rows as a query returns them: explicit columns as frozen objects, entities through the
 * snapshot or tracked identity map, with their includes attached (into the snapshots' relation
 * slots, or onto tracked entities).
 */
export async function materialize(
  core: ContextCore,
  s: QueryState,
  rows: readonly unknown[],
  shape: CompiledShape,
): Promise<object[]> {
  const sel = s.select;
  const out = new Array<object>(rows.length);
  if (shape.hydrate !== undefined) {
    const hydrate = shape.hydrate;
    for (let i = 0; i < rows.length; i++) out[i] = freezeSnapshot(hydrate(rows[i]!));
    return out;
  }
  const meta = sel.root;
  if (s.tracked) {
    for (let i = 0; i < rows.length; i++) out[i] = core.track(meta, rows[i]!);
  } else {
    for (let i = 0; i < rows.length; i++) out[i] = core.snapshot(meta, rows[i]!);
  }
  const unique = sel.distinct && sel.joins.length > 0 ? [...new Set(out)] : out;
  if (s.includes.length > 0) {
    await loadIncludes(core, unique as Record<string, unknown>[], s.includes, s.tracked);
  }
  return unique;
}
