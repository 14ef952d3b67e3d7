import type { Dependency } from "../dependency.ts";
import type { Lifetime, Registration } from "../registration.ts";
import { keyName, type ServiceKey } from "../token.ts";
import { constructorDependencies } from "./constructor-deps.ts";
import { isDisposable } from "./disposal.ts";
import type { GraphProblem } from "./graph-problems.ts";

export const SINGLETON = 0;
export const SCOPED = 1;
export const TRANSIENT = 2;
export type LifetimeCode = typeof SINGLETON | typeof SCOPED | typeof TRANSIENT;

export const CLASS = 0;
export const FACTORY = 1;
export const VALUE = 2;
export const ALIAS = 3;
export type KindCode = typeof CLASS | typeof FACTORY | typeof VALUE | typeof ALIAS;

export const ONE = 0;
export const OPTIONAL = 1;
export const ALL = 2;

/** A dependency edge, resolved to the nodes it needs at build time. */
export type PlanDep =
  | { readonly kind: typeof ONE; readonly node: PlanNode }
  | { readonly kind: typeof OPTIONAL; readonly node: PlanNode | undefined }
  | { readonly kind: typeof ALL; readonly nodes: readonly PlanNode[] };

/** One registration, compiled: what to call, with which dependencies, cached where. */
export class PlanNode {
  readonly id: number;
  readonly key: ServiceKey;
  readonly name: string;
  readonly lifetime: LifetimeCode;
  readonly lifetimeName: Lifetime | "alias" | "value";
  readonly kind: KindCode;
  /** The constructor, the factory, or the value, by kind. */
  readonly target: unknown;
  /** Whether Dext created the instance and so disposes it. */
  readonly owned: boolean;
  readonly site: string | undefined;
  readonly module: string | undefined;
  /** Index into the singleton or scoped instance array. */
  slot = -1;
  /** For classes, whether instances are disposable, learned from the first one: -1 unknown. */
  #classDisposable = -1;
  deps: PlanDep[] = [];

  constructor(id: number, reg: Registration, kind: KindCode, target: unknown) {
    this.id = id;
    this.key = reg.key;
    this.name = keyName(reg.key);
    this.kind = kind;
    this.target = target;
    this.site = reg.site;
    this.module = reg.module;
    this.owned = kind === CLASS || kind === FACTORY;
    if (kind === VALUE) {
      this.lifetime = SINGLETON;
      this.lifetimeName = "value";
    } else if (kind === ALIAS) {
      // An alias creates nothing: it hands out the target's instance, whatever its lifetime.
      this.lifetime = TRANSIENT;
      this.lifetimeName = "alias";
    } else {
      this.lifetime =
        reg.lifetime === "singleton" ? SINGLETON : reg.lifetime === "scoped" ? SCOPED : TRANSIENT;
      this.lifetimeName = reg.lifetime;
    }
  }

  /**
   * Whether `instance` needs disposing. Instances of one class answer alike, so a class node
   * asks once; factories may return anything, so they ask every time.
   */
  mayDispose(instance: unknown): boolean {
    if (this.kind !== CLASS) return isDisposable(instance);
    if (this.#classDisposable === -1) this.#classDisposable = isDisposable(instance) ? 1 : 0;
    return this.#classDisposable === 1;
  }

  describe(): string {
    const where = [
      this.site && `registered at ${this.site}`,
      this.module && `module "${this.module}"`,
    ]
      .filter(Boolean)
      .join(", ");
    return where
      ? `${this.name} (${this.lifetimeName}; ${where})`
      : `${this.name} (${this.lifetimeName})`;
  }
}

/** The compiled graph the provider resolves from. */
export interface Plan {
  readonly nodes: readonly PlanNode[];
  /** Every node per key, in registration order; single resolution takes the last. */
  readonly byKey: ReadonlyMap<ServiceKey, readonly PlanNode[]>;
  readonly singletonCount: number;
  readonly scopedCount: number;
}

/**
 * Compiles registrations into a plan: every dependency list is read once (explicit `deps`,
 * `static inject`, or tsyringe decorator metadata) and linked to the nodes it resolves to.
 * Problems found on the way (missing keys, unreadable constructors) are collected, not thrown.
 */
export function compilePlan(
  registrations: readonly Registration[],
  problems: GraphProblem[],
): Plan {
  const nodes: PlanNode[] = [];
  const byKey = new Map<ServiceKey, PlanNode[]>();
  const rawDeps: (readonly { dep: Dependency; label: string }[])[] = [];
  for (const reg of registrations) {
    const p = reg.provider;
    let node: PlanNode;
    let deps: readonly { dep: Dependency; label: string }[] = [];
    switch (p.kind) {
      case "class": {
        node = new PlanNode(nodes.length, reg, CLASS, p.ctor);
        const found = constructorDependencies(p.ctor, p.deps);
        if (found.ok) deps = found.deps;
        else problems.push({ kind: "unresolvable", node, detail: found.reason });
        break;
      }
      case "factory":
        node = new PlanNode(nodes.length, reg, FACTORY, p.fn);
        deps = p.deps.map((dep, i) => ({ dep, label: `argument ${i + 1}` }));
        break;
      case "value":
        node = new PlanNode(nodes.length, reg, VALUE, p.value);
        break;
      case "alias":
        node = new PlanNode(nodes.length, reg, ALIAS, undefined);
        deps = [{ dep: p.target, label: "alias target" }];
        break;
    }
    nodes.push(node);
    rawDeps.push(deps);
    const list = byKey.get(reg.key);
    if (list) list.push(node);
    else byKey.set(reg.key, [node]);
  }

  let singletonCount = 0;
  let scopedCount = 0;
  for (const node of nodes) {
    if (node.lifetime === SINGLETON) node.slot = singletonCount++;
    else if (node.lifetime === SCOPED) node.slot = scopedCount++;
    node.deps = rawDeps[node.id]!.map(({ dep, label }) => {
      if (typeof dep === "object" && dep !== null && "kind" in dep) {
        const list = byKey.get(dep.key);
        return dep.kind === "all"
          ? { kind: ALL, nodes: list ?? [] }
          : { kind: OPTIONAL, node: list?.[list.length - 1] };
      }
      const list = byKey.get(dep);
      const target = list?.[list.length - 1];
      if (!target) {
        problems.push({ kind: "missing", node, key: dep, label });
        return { kind: OPTIONAL, node: undefined };
      }
      return { kind: ONE, node: target };
    });
  }
  return { nodes, byKey, singletonCount, scopedCount };
}

/** The nodes a node's creation resolves directly. */
export function depNodes(node: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  for (const d of node.deps) {
    if (d.kind === ALL) out.push(...d.nodes);
    else if (d.node) out.push(d.node);
  }
  return out;
}
