import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  all,
  currentScope,
  defineModule,
  optional,
  ServiceCollection,
  type ServiceKey,
  type Token,
  token,
} from "../src/index.ts";

interface Foo {
  foo: number;
}
interface Bar {
  bar: string;
}
const FooToken = token<Foo>("Foo");
const BarToken = token<Bar>("Bar");

describe("typed tokens", () => {
  it("resolve(token<T>) is T with no cast", () => {
    const provider = new ServiceCollection().build();
    expectTypeOf(provider.resolve(FooToken)).toEqualTypeOf<Foo>();
    expectTypeOf(provider.tryResolve(FooToken)).toEqualTypeOf<Foo | undefined>();
    expectTypeOf(provider.resolveAll(BarToken)).toEqualTypeOf<Bar[]>();
    expectTypeOf(provider.resolveAsync(FooToken)).toEqualTypeOf<Promise<Foo>>();
    expectTypeOf(currentScope().resolve(BarToken)).toEqualTypeOf<Bar>();
  });

  it("resolve(Class) is the instance type", () => {
    class Clock {
      now = 1;
    }
    expectTypeOf(new ServiceCollection().build().resolve(Clock)).toEqualTypeOf<Clock>();
  });

  it("tokens of different types are different keys", () => {
    expectTypeOf(FooToken).not.toEqualTypeOf<Token<Bar>>();
    expectTypeOf(FooToken).toExtend<ServiceKey<Foo>>();
  });
});

describe("providers are checked against the key's type", () => {
  it("accepts matching factories, values and classes", () => {
    new ServiceCollection()
      .addSingleton(FooToken, { useValue: { foo: 1 } })
      .addSingleton(BarToken, { deps: [FooToken], useFactory: (foo) => ({ bar: String(foo.foo) }) })
      .addSingleton(token<string>("S"), {
        deps: [all(BarToken), optional(FooToken)],
        useFactory: (bars, foo) => {
          expectTypeOf(bars).toEqualTypeOf<Bar[]>();
          expectTypeOf(foo).toEqualTypeOf<Foo | undefined>();
          return "s";
        },
      })
      .addSingleton(token<number>("Async"), { useFactory: async () => 1 });
  });

  it("rejects a factory whose result does not match the token", () => {
    new ServiceCollection().addSingleton(FooToken, {
      // @ts-expect-error a Bar is not a Foo
      useFactory: () => ({ bar: "x" }),
    });
  });

  it("rejects a factory whose parameters do not match its deps", () => {
    const wrong = { deps: [BarToken] as const, useFactory: (bar: Foo) => bar };
    // @ts-expect-error the dependency is a Bar, not a Foo
    new ServiceCollection().addSingleton(FooToken, wrong);
  });

  it("rejects a value of the wrong type", () => {
    // @ts-expect-error a string is not a Foo
    new ServiceCollection().addSingleton(FooToken, { useValue: "nope" });
  });

  it("checks a class's constructor against its deps", () => {
    class NeedsBar {
      readonly bar: Bar;
      foo = 1;
      constructor(bar: Bar) {
        this.bar = bar;
      }
    }
    new ServiceCollection().addSingleton(FooToken, { useClass: NeedsBar, deps: [BarToken] });
    // @ts-expect-error the constructor takes a Bar, not a Foo
    new ServiceCollection().addSingleton(FooToken, { useClass: NeedsBar, deps: [FooToken] });
  });

  it("checks static inject against the constructor", () => {
    class Good {
      static readonly inject = [BarToken] as const;
      readonly bar: Bar;
      constructor(bar: Bar) {
        this.bar = bar;
      }
    }
    class Bad {
      static readonly inject = [FooToken] as const;
      readonly bar: Bar;
      constructor(bar: Bar) {
        this.bar = bar;
      }
    }
    new ServiceCollection().addSingleton(Good);
    // @ts-expect-error static inject resolves a Foo where the constructor wants a Bar
    new ServiceCollection().addSingleton(Bad);
  });
});

describe("modules", () => {
  it("infers the config type from the schema", () => {
    defineModule({
      name: "m",
      config: { section: "m", schema: z.object({ port: z.number() }) },
      register(_services, config) {
        expectTypeOf(config).toEqualTypeOf<{ port: number }>();
      },
    });
  });
});
