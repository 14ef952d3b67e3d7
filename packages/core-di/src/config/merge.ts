export type PlainObject = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is PlainObject =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

/**
 * Merges `layer` into `target` (mutating it): objects merge key by key, anything else
 * (arrays included) replaces. Records the source of every leaf written in `sources`.
 */
export function mergeLayer(
  target: PlainObject,
  layer: PlainObject,
  source: string,
  sources: Map<string, string>,
  prefix = "",
): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      mergeLayer(current, value, source, sources, path);
      continue;
    }
    target[key] = isPlainObject(value) ? structuredClone(value) : value;
    for (const known of [...sources.keys()]) {
      if (known === path || known.startsWith(`${path}.`)) sources.delete(known);
    }
    if (isPlainObject(value)) recordLeaves(value, source, sources, path);
    else sources.set(path, source);
  }
}

function recordLeaves(
  value: PlainObject,
  source: string,
  sources: Map<string, string>,
  prefix: string,
): void {
  for (const [key, v] of Object.entries(value)) {
    const path = `${prefix}.${key}`;
    if (isPlainObject(v)) recordLeaves(v, source, sources, path);
    else sources.set(path, source);
  }
}

/** Freezes a plain config tree in place. */
export function freezeTree<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freezeTree(v);
  }
  return value;
}
