/** The `inspect` Node passes to `[Symbol.for("nodejs.util.inspect.custom")]`. */
export type InspectFn = (value: unknown, options: object) => string;

/** `console.log` output such as `ImmutableList(3) [ 1, 2, 3 ]`, honouring `depth`. */
export function inspectCollection(
  label: string,
  contents: unknown,
  depth: number,
  options: object,
  inspect: InspectFn,
): string {
  if (depth < 0) return `[${label}]`;
  const nested = (options as { depth?: number | null }).depth;
  return `${label} ${inspect(contents, { ...options, depth: nested == null ? nested : nested - 1 })}`;
}

/** The key Node's `util.inspect` (and so `console.log`) looks up for custom output. */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
