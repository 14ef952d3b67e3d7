import { OrmError } from "../../errors.ts";

/** `"Add users index!"` -> `add_users_index`. */
export function slug(name: string, where: string): string {
  const s = String(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s.length === 0) {
    throw new OrmError(
      "ORM_MIGRATION_INVALID",
      `${where}: the name ${JSON.stringify(name)} has no letters or digits; describe the change, e.g. "add users index"`,
    );
  }
  return s;
}

function timestamp(now: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/**
 * The prefix of a new migration: the next number at the width already in use (`0007` after
 * `0006`), or a UTC timestamp when the existing names use timestamps.
 */
export function nextPrefix(existing: readonly string[], now: Date = new Date()): string {
  const prefixes = existing.map((n) => /^(\d+)[_-]/.exec(n)?.[1]).filter((p) => p !== undefined);
  if (prefixes.length === 0) return "0001";
  const max = prefixes.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
  const width = Math.max(...prefixes.map((p) => p.length));
  if (width >= 14) {
    const stamp = timestamp(now);
    return BigInt(stamp) > BigInt(max) ? stamp : (BigInt(max) + 1n).toString();
  }
  return (BigInt(max) + 1n).toString().padStart(Math.max(width, 4), "0");
}
