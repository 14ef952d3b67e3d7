import { describe, expect, it } from "vitest";
import { GraphError, ServiceCollection, token } from "../src/index.ts";

function buildError(services: ServiceCollection): GraphError {
  try {
    services.build();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return error as GraphError;
  }
  throw new Error("build() did not throw");
}

describe("build() validates the whole graph", () => {
  it("lists every missing registration, cycle and captive dependency in ONE error", () => {
    const Payment = token<string>("PaymentGateway");
    const A = token<string>("A");
    const B = token<string>("B");
    const C = token<string>("C");
    const Db = token<object>("DbContext");
    const Repo = token<object>("Repo");
    const Cache = token<object>("Cache");
    const Orders = token<string>("OrderService");
    const services = new ServiceCollection()
      .addSingleton(Orders, { deps: [Payment], useFactory: (p) => p })
      .addSingleton(A, { deps: [B], useFactory: (b) => b })
      .addSingleton(B, { deps: [C], useFactory: (c) => c })
      .addSingleton(C, { deps: [A], useFactory: (a) => a })
      .addScoped(Db, { useFactory: () => ({}) })
      .addTransient(Repo, { deps: [Db], useFactory: (db) => ({ db }) })
      .addSingleton(Cache, { deps: [Repo], useFactory: (repo) => ({ repo }) });
    const error = buildError(services);
    expect(error.code).toBe("DI_INVALID_GRAPH");
    expect(error.problems.map((p) => p.kind).sort()).toEqual(["captive", "cycle", "missing"]);
    expect(error.message).toContain("the service graph has 3 problems");
    expect(error.message).toMatch(/missing: OrderService needs PaymentGateway \(argument 1\)/);
    expect(error.message).toContain("cycle: A -> B -> C -> A");
    expect(error.message).toContain(
      "captive: singleton Cache would hold scoped DbContext (Cache -> Repo (transient) -> DbContext (scoped))",
    );
    // Each problem names where the services were registered.
    expect(error.message).toMatch(
      /OrderService \(singleton; registered at test\/graph-validation\.test\.ts:\d+\)/,
    );
  });

  it("reports a cycle once however many services lead into it", () => {
    const X = token<string>("X");
    const Y = token<string>("Y");
    const Z = token<string>("Z");
    const W = token<string>("W");
    const error = buildError(
      new ServiceCollection()
        .addTransient(W, { deps: [X], useFactory: (x) => x })
        .addTransient(Z, { deps: [X], useFactory: (x) => x })
        .addTransient(X, { deps: [Y], useFactory: (y) => y })
        .addTransient(Y, { deps: [X], useFactory: (x) => x }),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain("cycle: X -> Y -> X");
  });

  it("flags a class whose constructor dependencies cannot be known", () => {
    class NeedsThings {
      readonly a: unknown;
      constructor(a: unknown) {
        this.a = a;
      }
    }
    const error = buildError(new ServiceCollection().addSingleton(NeedsThings));
    expect(error.problems[0]?.kind).toBe("unresolvable");
    expect(error.message).toContain("NeedsThings: its constructor takes 1 parameter(s)");
  });

  it("accepts a singleton holding a transient that holds only singletons", () => {
    const S = token<object>("S");
    const T = token<object>("T");
    const Root = token<object>("Root");
    expect(() =>
      new ServiceCollection()
        .addSingleton(S, { useFactory: () => ({}) })
        .addTransient(T, { deps: [S], useFactory: (s) => ({ s }) })
        .addSingleton(Root, { deps: [T], useFactory: (t) => ({ t }) })
        .build(),
    ).not.toThrow();
  });

  it("lets scoped services depend on singletons and transients", () => {
    const S = token<object>("S");
    const Sc = token<object>("Sc");
    const provider = new ServiceCollection()
      .addSingleton(S, { useFactory: () => ({}) })
      .addScoped(Sc, { deps: [S], useFactory: (s) => ({ s }) })
      .build();
    expect(provider.createScope().resolve(Sc)).toEqual({ s: {} });
  });
});
