import { ImmutableList } from "../../list/immutable-list.ts";
import { ImmutableMap } from "../../map/immutable-map.ts";
import { describe } from "../arguments.ts";

/** Whether `o` holds bytes no engine can freeze (a non-empty typed array, DataView or buffer). */
export function isBinary(o: object): o is ArrayBufferView | ArrayBufferLike {
  return (
    ArrayBuffer.isView(o) ||
    o instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" && o instanceof SharedArrayBuffer)
  );
}

const propertyLabel = (key: string | symbol): string =>
  typeof key === "symbol"
    ? `[${String(key)}]`
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? `.${key}`
      : `[${JSON.stringify(key)}]`;

/**
 * Every object directly reachable from `o` that freezeDeep visits, with a path label: own
 * properties (string and symbol keys, enumerable or not), array elements, Map keys and values,
 * Set values, and the contents of ImmutableList and ImmutableMap. Used to name the place of a
 * failure, so it favours completeness over speed; the walk has its own inlined loops.
 */
export function labelledChildren(o: object): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) out.push([`[${i}]`, o[i]]);
    return out;
  }
  if (o instanceof Map) {
    let i = 0;
    for (const [k, v] of Map.prototype.entries.call(o)) {
      out.push([`<key #${i++}>`, k], [`.get(${describe(k)})`, v]);
    }
  } else if (o instanceof Set) {
    let i = 0;
    for (const v of Set.prototype.values.call(o)) out.push([`<value #${i++}>`, v]);
  } else if (o instanceof ImmutableList) {
    let i = 0;
    for (const v of o) out.push([`.get(${i++})`, v]);
  } else if (o instanceof ImmutableMap) {
    let i = 0;
    for (const [k, v] of o) out.push([`<key #${i++}>`, k], [`.get(${describe(k)})`, v]);
  }
  if (isBinary(o)) return out;
  for (const key of Reflect.ownKeys(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, key);
    if (descriptor !== undefined && "value" in descriptor) {
      out.push([propertyLabel(key), descriptor.value]);
    }
  }
  return out;
}

/** The path from `root` to `target` (`$.rows[3].avatar`), found breadth-first. */
export function pathTo(root: object, target: object): string {
  const parents = new Map<unknown, [unknown, string]>();
  const queue: unknown[] = [root];
  parents.set(root, [null, "$"]);
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    if (node === target) break;
    if (typeof node !== "object" || node === null) continue;
    for (const [label, child] of labelledChildren(node)) {
      if (typeof child === "object" && child !== null && !parents.has(child)) {
        parents.set(child, [node, label]);
        queue.push(child);
      }
    }
  }
  const labels: string[] = [];
  for (let at: unknown = target; at !== null && parents.has(at); ) {
    const [parent, label] = parents.get(at)!;
    labels.unshift(label);
    at = parent;
  }
  return labels.join("");
}
