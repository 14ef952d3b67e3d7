import { XMLBuilder } from "fast-xml-parser";
import type { OutputFormatter } from "./output-formatter.ts";

/**
 * Options of {@link xmlFormatter}: the names of the document element and of array entries.
 *
 * @example
 * ```ts
 * // [{ id: 1 }] becomes <threads><thread><id>1</id></thread></threads>
 * xmlFormatter({ rootName: "threads", itemName: "thread" });
 * ```
 */
export interface XmlFormatterOptions {
  /** The document element (default `response`). */
  readonly rootName?: string;
  /** The element each array entry becomes when an array has no name of its own (default `item`). */
  readonly itemName?: string;
}

const nameStart = /^[A-Za-z_]/;
const badNameChars = /[^A-Za-z0-9_.-]/g;

function xmlName(key: string): string {
  const cleaned = key.replace(badNameChars, "_");
  return nameStart.test(cleaned) && !/^xml/i.test(cleaned) ? cleaned : `_${cleaned}`;
}

function normalize(value: unknown, itemName: string, depth: number): unknown {
  if (depth > 64) return "[depth limit]";
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) {
    return value.map((v) =>
      Array.isArray(v)
        ? { [itemName]: normalize(v, itemName, depth + 1) }
        : normalize(v, itemName, depth + 1),
    );
  }
  if (typeof value === "object") {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === "function") return normalize(json.call(value), itemName, depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === "function") continue;
      out[xmlName(k)] = normalize(v, itemName, depth + 1);
    }
    return out;
  }
  if (typeof value === "function" || typeof value === "symbol") return "";
  return value;
}

/**
 * A formatter for `application/xml` (and `text/xml`): objects become elements, arrays repeat
 * their element (a top-level array becomes `<item>` entries), invalid names are made safe.
 *
 * @example
 * ```ts
 * createApp({ web: { formatters: [xmlFormatter({ rootName: "thread" })] } });
 * ```
 */
export function xmlFormatter(options: XmlFormatterOptions = {}): OutputFormatter {
  const rootName = xmlName(options.rootName ?? "response");
  const itemName = xmlName(options.itemName ?? "item");
  const builder = new XMLBuilder({
    ignoreAttributes: true,
    format: false,
    suppressEmptyNode: false,
  });
  return {
    mediaType: "application/xml",
    contentType: "application/xml; charset=utf-8",
    format(data) {
      const body = Array.isArray(data)
        ? { [itemName]: normalize(data, itemName, 0) }
        : normalize(data, itemName, 0);
      return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [rootName]: body })}`;
    },
  };
}
