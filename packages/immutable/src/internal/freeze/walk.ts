import { ImmutableError } from "../../errors.ts";
import { ImmutableList } from "../../list/immutable-list.ts";
import { ImmutableMap } from "../../map/immutable-map.ts";
import { isBinary, pathTo } from "./children.ts";
import { isReadonlyPrototype, readonlyPrototypeOf } from "./readonly-prototypes.ts";

export type TypedArrayPolicy = "throw" | "allow";

// Roots of finished walks: freezing them again is O(1). A graph frozen while typed arrays were
// allowed is not a strict snapshot, so it is remembered apart.
const strictRoots = new WeakSet<object>();
// Dates are common in rows (created_at, updated_at): their read-only prototype is looked up once.
const readonlyDate = readonlyPrototypeOf(Date.prototype, Date.prototype, "Date");
const lenientRoots = new WeakSet<object>();

export const isFrozenRoot = (o: object, policy: TypedArrayPolicy): boolean =>
  strictRoots.has(o) || (policy === "allow" && lenientRoots.has(o));

function push(stack: object[], v: unknown): void {
  if (typeof v === "object" && v !== null) stack.push(v);
}

function pushOwn(stack: object[], o: object): void {
  const names = Object.getOwnPropertyNames(o);
  for (let i = 0; i < names.length; i++) {
    const v = (o as Record<string, unknown>)[names[i]!];
    if (typeof v === "object" && v !== null) stack.push(v);
  }
  const symbols = Object.getOwnPropertySymbols(o);
  for (let i = 0; i < symbols.length; i++) push(stack, (o as Record<symbol, unknown>)[symbols[i]!]);
}

function pushChildren(stack: object[], o: object): void {
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const v = o[i];
      if (typeof v === "object" && v !== null) stack.push(v);
    }
    return;
  }
  if (o instanceof Map) {
    Map.prototype.forEach.call(o, (v: unknown, k: unknown) => {
      push(stack, k);
      push(stack, v);
    });
  } else if (o instanceof Set) {
    Set.prototype.forEach.call(o, (v: unknown) => {
      push(stack, v);
    });
  } else if (o instanceof ImmutableList) {
    o.forEach((v: unknown) => {
      push(stack, v);
    });
  } else if (o instanceof ImmutableMap) {
    o.forEach((v: unknown, k: unknown) => {
      push(stack, k);
      push(stack, v);
    });
  }
  pushOwn(stack, o);
}

function unfreezable(root: object, o: object, why: string): ImmutableError {
  const where = pathTo(root, o);
  return new ImmutableError("IMMUTABLE_UNFREEZABLE", `freezeDeep: ${where} ${why}`);
}

const kindOf = (o: object): [object, string] | null =>
  o instanceof Date
    ? [Date.prototype, "Date"]
    : o instanceof Map
      ? [Map.prototype, "Map"]
      : o instanceof Set
        ? [Set.prototype, "Set"]
        : o instanceof WeakMap
          ? [WeakMap.prototype, "WeakMap"]
          : o instanceof WeakSet
            ? [WeakSet.prototype, "WeakSet"]
            : null;

/**
 * Readies an unfrozen object that is not a plain object or array: collections and dates get
 * read-only prototypes; binary data is refused or, when allowed, skipped. Returns false when
 * the object is to be left alone.
 */
function prepare(o: object, proto: object, root: object, policy: TypedArrayPolicy): boolean {
  const kind = kindOf(o);
  if (kind !== null) {
    Object.setPrototypeOf(o, readonlyPrototypeOf(proto, kind[0], kind[1]));
    return true;
  }
  if (!isBinary(o) || (o as { byteLength: number }).byteLength === 0) return true;
  if (policy === "allow") return false;
  throw unfreezable(
    root,
    o,
    `is a ${o.constructor?.name ?? "binary buffer"} of ${(o as { byteLength: number }).byteLength} bytes: JavaScript cannot freeze the contents of typed arrays, DataViews or ArrayBuffers. Convert it (Array.from, a string) before freezing, or pass { typedArrays: "allow" } to leave it mutable inside the snapshot.`,
  );
}

/** Checks an object someone else froze: frozen collections and dates still change. */
function checkForeignFrozen(o: object, root: object): void {
  const kind = kindOf(o);
  if (kind !== null && !isReadonlyPrototype(Object.getPrototypeOf(o))) {
    throw unfreezable(
      root,
      o,
      `is a ${kind[1]} frozen with Object.freeze, which does not stop its methods from changing it, and a frozen object cannot be given read-only methods. Pass it to freezeDeep before freezing it any other way.`,
    );
  }
}

/**
 * Freezes everything reachable from `root`. Objects are frozen before their children are
 * visited, so a cycle meets an already frozen object; an object found frozen is visited once
 * more (tracked in `seen`, created only then) since someone may have frozen it shallowly.
 * An explicit stack keeps deep graphs (long linked lists) off the call stack.
 */
export function freezeGraph(root: object, policy: TypedArrayPolicy): void {
  const stack: object[] = [root];
  let seen: Set<object> | null = null;
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (Object.isFrozen(o)) {
      if (isFrozenRoot(o, policy)) continue;
      if (seen === null) seen = new Set();
      else if (seen.has(o)) continue;
      seen.add(o);
      checkForeignFrozen(o, root);
      pushChildren(stack, o);
      continue;
    }
    const proto = Object.getPrototypeOf(o);
    if (proto === Object.prototype || proto === null) {
      Object.freeze(o);
      pushOwn(stack, o);
      continue;
    }
    if (proto === Array.prototype) {
      Object.freeze(o);
      for (let i = 0; i < (o as unknown[]).length; i++) push(stack, (o as unknown[])[i]);
      continue;
    }
    if (proto === Date.prototype) {
      Object.setPrototypeOf(o, readonlyDate);
      Object.freeze(o);
      pushOwn(stack, o);
      continue;
    }
    if (!prepare(o, proto, root, policy)) continue;
    Object.freeze(o);
    pushChildren(stack, o);
  }
  (policy === "throw" ? strictRoots : lenientRoots).add(root);
}
