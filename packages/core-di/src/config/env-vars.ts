import { parse as parseYaml } from "yaml";
import { isPlainObject, type PlainObject } from "./merge.ts";

/** One `DEXT__...` variable turned into a config path and value. */
export interface EnvEntry {
  readonly variable: string;
  readonly path: readonly string[];
  readonly value: unknown;
  readonly raw: string;
}

const camel = (segment: string): string =>
  segment.toLowerCase().replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const squash = (s: string): string => s.replace(/[_-]/g, "").toLowerCase();

/**
 * Reads a variable's value the way YAML reads a scalar: `8080` is a number, `true` a boolean,
 * `[a, b]` a list. The raw string is kept so a string-typed key still gets exactly what was set.
 */
function parseValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed === "") return raw;
  try {
    const parsed: unknown = parseYaml(trimmed);
    if (parsed === null || typeof parsed === "number" || typeof parsed === "boolean") return parsed;
    if ((trimmed.startsWith("[") || trimmed.startsWith("{")) && typeof parsed === "object")
      return parsed;
  } catch {
    // Not YAML: it is a plain string.
  }
  return raw;
}

/**
 * `PREFIX__SECTION__KEY=value` variables as config entries. A double underscore nests; each
 * segment is matched case-insensitively against keys the files already define, and otherwise
 * camel-cased (`MIGRATE_ON_START` -> `migrateOnStart`).
 */
export function envEntries(
  environment: Readonly<Record<string, string | undefined>>,
  prefix: string,
  existing: PlainObject,
): EnvEntry[] {
  const lead = `${prefix}__`;
  const entries: EnvEntry[] = [];
  for (const [variable, raw] of Object.entries(environment)) {
    if (raw === undefined || !variable.startsWith(lead)) continue;
    const segments = variable.slice(lead.length).split("__").filter(Boolean);
    if (segments.length === 0) continue;
    const path: string[] = [];
    let node: unknown = existing;
    for (const segment of segments) {
      const match = isPlainObject(node)
        ? Object.keys(node).find((k) => squash(k) === squash(segment))
        : undefined;
      const key = match ?? camel(segment);
      path.push(key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
    entries.push({ variable, path, value: parseValue(raw), raw });
  }
  return entries.sort((a, b) => a.variable.localeCompare(b.variable));
}

/** Builds the nested object an entry describes. */
export function entryToObject(entry: EnvEntry): PlainObject {
  const root: PlainObject = {};
  let node = root;
  entry.path.forEach((key, i) => {
    if (i === entry.path.length - 1) node[key] = entry.value;
    else node = node[key] = {} as PlainObject;
  });
  return root;
}
