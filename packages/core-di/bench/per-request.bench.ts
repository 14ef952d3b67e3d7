// Per-request cost: open a scope, resolve a graph of 10 scoped services over 3 levels, dispose.
// Ours against raw tsyringe child containers and against InversifyJS, alternating in one run.
import "reflect-metadata";
import { compare, saveResults, timeSampler } from "@dext/bench-kit";
import { Container } from "inversify";
import { injectable, Lifecycle, container as tsyringeRoot } from "tsyringe";
import { ServiceCollection } from "../src/index.ts";

class L3a {}
class L3b {}
class L3c {}
class L3d {}
class L3e {}
class L3f {}
class L2a {
  readonly x: L3a;
  readonly y: L3b;
  constructor(x: L3a, y: L3b) {
    this.x = x;
    this.y = y;
  }
}
class L2b {
  readonly x: L3c;
  readonly y: L3d;
  constructor(x: L3c, y: L3d) {
    this.x = x;
    this.y = y;
  }
}
class L2c {
  readonly x: L3e;
  readonly y: L3f;
  constructor(x: L3e, y: L3f) {
    this.x = x;
    this.y = y;
  }
}
class Root {
  readonly a: L2a;
  readonly b: L2b;
  readonly c: L2c;
  constructor(a: L2a, b: L2b, c: L2c) {
    this.a = a;
    this.b = b;
    this.c = c;
  }
}
const graph: [new (...args: any[]) => object, (new (...args: any[]) => object)[]][] = [
  [L3a, []],
  [L3b, []],
  [L3c, []],
  [L3d, []],
  [L3e, []],
  [L3f, []],
  [L2a, [L3a, L3b]],
  [L2b, [L3c, L3d]],
  [L2c, [L3e, L3f]],
  [Root, [L2a, L2b, L2c]],
];

// Dext: explicit deps, all scoped.
const services = new ServiceCollection();
for (const [cls, deps] of graph) services.addScoped(cls, { useClass: cls, deps } as never);
const provider = services.build();
const dext = async (): Promise<void> => {
  const scope = provider.createScope();
  scope.resolve(Root);
  await scope.dispose();
};

// tsyringe: what its decorators would record, container-scoped in a child container per request.
const tsyringe = tsyringeRoot.createChildContainer();
for (const [cls, deps] of graph) {
  Reflect.defineMetadata("design:paramtypes", deps, cls);
  injectable()(cls);
  tsyringe.register(cls, { useClass: cls }, { lifecycle: Lifecycle.ContainerScoped });
}
const raw = async (): Promise<void> => {
  const child = tsyringe.createChildContainer();
  child.resolve(Root);
  await child.dispose();
};

// InversifyJS: request scope (one instance per service per resolution graph), factories with deps.
const inversify = new Container();
for (const [cls, deps] of graph) {
  inversify
    .bind(cls)
    .toResolvedValue((...args: unknown[]) => new cls(...args), deps)
    .inRequestScope();
}
const inv = async (): Promise<void> => {
  inversify.get(Root);
};

// Same graph, same answer: check before timing anything.
for (const resolve of [
  () => provider.createScope().resolve(Root),
  () => tsyringe.createChildContainer().resolve(Root),
  () => inversify.get(Root),
]) {
  const r = resolve() as Root;
  if (!(r.a.x instanceof L3a) || !(r.c.y instanceof L3f)) throw new Error("graph not resolved");
}

const lines = await compare({
  bench: "per-request",
  ours: timeSampler(dext, { timeMs: 400 }),
  baselines: {
    tsyringe: timeSampler(raw, { timeMs: 400 }),
    inversify: timeSampler(inv, { timeMs: 400 }),
  },
  rounds: 9,
});
await saveResults(`${import.meta.dirname}/..`, "per-request", lines);
