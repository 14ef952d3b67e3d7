import { ImmutableError } from "../../errors.ts";

// Object.freeze cannot reach the internal slots of Date, Map, Set, WeakMap and WeakSet, so a
// frozen one still changes through its methods. freezeDeep swaps its prototype for one that
// inherits every method but overrides the mutating ones with methods that throw; the object
// keeps its identity, `instanceof` and internal slots, so reads, structuredClone and
// util.inspect behave as before. (Calling Map.prototype.set.call(map, ...) still bypasses it:
// no JavaScript can seal an internal slot.)

const MUTATORS = new Map<object, readonly string[]>([
  [
    Date.prototype,
    Object.getOwnPropertyNames(Date.prototype).filter((name) => /^set[A-Z]/.test(name)),
  ],
  [Map.prototype, ["set", "delete", "clear", "getOrInsert", "getOrInsertComputed"]],
  [Set.prototype, ["add", "delete", "clear"]],
  [WeakMap.prototype, ["set", "delete", "getOrInsert", "getOrInsertComputed"]],
  [WeakSet.prototype, ["add", "delete"]],
]);

const readonlyPrototypes = new WeakMap<object, object>();
const ours = new WeakSet<object>();

function throwing(kind: string, method: string): () => never {
  return () => {
    throw new ImmutableError(
      "IMMUTABLE_FROZEN",
      `${kind}.prototype.${method}: this ${kind} belongs to a frozen snapshot (freezeDeep), so it cannot change; copy it (new ${kind}(value)) to get a mutable one`,
    );
  };
}

/** Whether `proto` is one of the read-only prototypes this module made. */
export const isReadonlyPrototype = (proto: object | null): boolean =>
  proto !== null && ours.has(proto);

/**
 * The read-only counterpart of `proto` (a Date, Map, Set, WeakMap or WeakSet prototype, or a
 * subclass's), made once and cached; subclass methods stay reachable through the chain.
 */
export function readonlyPrototypeOf(proto: object, base: object, kind: string): object {
  let readonly = readonlyPrototypes.get(proto);
  if (readonly === undefined) {
    const descriptors: PropertyDescriptorMap = {};
    for (const method of MUTATORS.get(base)!) {
      if (method in base) {
        descriptors[method] = {
          value: throwing(kind, method),
          writable: false,
          enumerable: false,
          configurable: false,
        };
      }
    }
    readonly = Object.freeze(Object.create(proto, descriptors)) as object;
    readonlyPrototypes.set(proto, readonly);
    ours.add(readonly);
  }
  return readonly;
}
