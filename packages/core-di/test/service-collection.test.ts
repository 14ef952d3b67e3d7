import { describe, expect, it } from "vitest";
import {
  all,
  DiError,
  inject,
  injectAll,
  injectable,
  optional,
  ServiceCollection,
  token,
} from "../src/index.ts";

class Clock {
  now(): number {
    return 42;
  }
}

class Greeter {
  static readonly inject = [Clock] as const;
  readonly clock: Clock;
  constructor(clock: Clock) {
    this.clock = clock;
  }
}

describe("registrations", () => {
  it("resolves a class registered as its own key, with static inject deps", () => {
    const provider = new ServiceCollection().addSingleton(Clock).addTransient(Greeter).build();
    const g = provider.resolve(Greeter);
    expect(g).toBeInstanceOf(Greeter);
    expect(g.clock).toBe(provider.resolve(Clock));
  });

  it("resolves factories with declared deps, values and aliases", () => {
    const Name = token<string>("Name");
    const Message = token<string>("Message");
    const Alias = token<string>("Alias");
    const provider = new ServiceCollection()
      .addSingleton(Name, { useValue: "dext" })
      .addTransient(Message, { deps: [Name], useFactory: (name) => `hello ${name}` })
      .addTransient(Alias, { useExisting: Message })
      .build();
    expect(provider.resolve(Message)).toBe("hello dext");
    expect(provider.resolve(Alias)).toBe("hello dext");
  });

  it("maps an abstract key to an implementation class", () => {
    abstract class Repo {
      abstract find(): string;
    }
    class SqlRepo extends Repo {
      find(): string {
        return "sql";
      }
    }
    const provider = new ServiceCollection().addSingleton(Repo, SqlRepo).build();
    expect(provider.resolve(Repo).find()).toBe("sql");
  });

  it("gives one singleton per provider, one scoped per scope, a new transient per resolution", () => {
    class S {}
    class Sc {}
    class T {}
    const provider = new ServiceCollection().addSingleton(S).addScoped(Sc).addTransient(T).build();
    const a = provider.createScope();
    const b = provider.createScope();
    expect(a.resolve(S)).toBe(b.resolve(S));
    expect(a.resolve(Sc)).toBe(a.resolve(Sc));
    expect(a.resolve(Sc)).not.toBe(b.resolve(Sc));
    expect(a.resolve(T)).not.toBe(a.resolve(T));
  });

  it("resolves optional and all dependencies", () => {
    const Plugin = token<string>("Plugin");
    const Missing = token<number>("Missing");
    const Report = token<string>("Report");
    const provider = new ServiceCollection()
      .addSingleton(Plugin, { useValue: "a" })
      .addSingleton(Plugin, { useValue: "b" })
      .addSingleton(Report, {
        deps: [all(Plugin), optional(Missing)],
        useFactory: (plugins, missing) => `${plugins.join(",")}|${missing}`,
      })
      .build();
    expect(provider.resolve(Report)).toBe("a,b|undefined");
    expect(provider.resolve(Plugin)).toBe("b");
    expect(provider.resolveAll(Plugin)).toEqual(["a", "b"]);
    expect(provider.tryResolve(Missing)).toBeUndefined();
  });

  it("reads tsyringe decorator metadata: @injectable, @inject(token), @injectAll", () => {
    const Url = token<string>("Url");
    const Tag = token<string>("Tag");
    @injectable()
    class Db {
      readonly url: string;
      readonly clock: Clock;
      readonly tags: string[];
      constructor(@inject(Url) url: string, clock: Clock, @injectAll(Tag) tags: string[]) {
        this.url = url;
        this.clock = clock;
        this.tags = tags;
      }
    }
    const provider = new ServiceCollection()
      .addSingleton(Url, { useValue: "postgres://x" })
      .addSingleton(Tag, { useValue: "t1" })
      .addSingleton(Clock)
      .addSingleton(Db)
      .build();
    const db = provider.resolve(Db);
    expect(db.url).toBe("postgres://x");
    expect(db.clock).toBeInstanceOf(Clock);
    expect(db.tags).toEqual(["t1"]);
  });

  it("rejects bad registrations with DI_INVALID_REGISTRATION", () => {
    const T = token<string>("T");
    const services = new ServiceCollection();
    expect(() => services.addSingleton(T as never)).toThrowError(
      expect.objectContaining({ code: "DI_INVALID_REGISTRATION" }),
    );
    expect(() => services.addSingleton(T, { nonsense: true } as never)).toThrowError(
      /is not a class, \{ useClass \}/,
    );
    expect(() => services.addSingleton("name" as never, { useValue: 1 } as never)).toThrowError(
      /token<T>\(\) or a class/,
    );
    expect(() =>
      services.addSingleton(T, { deps: ["x"] as never, useFactory: () => "" }),
    ).toThrowError(/not a token or a class/);
  });

  it("throws DI_NOT_REGISTERED naming the key", () => {
    const provider = new ServiceCollection().build();
    const Unknown = token<string>("UnknownThing");
    expect(() => provider.resolve(Unknown)).toThrowError(
      expect.objectContaining({
        code: "DI_NOT_REGISTERED",
        message: expect.stringContaining("UnknownThing"),
      }),
    );
  });

  it("throws DI_SCOPED_FROM_ROOT for a scoped service asked of the provider", () => {
    class PerRequest {}
    const provider = new ServiceCollection().addScoped(PerRequest).build();
    expect(() => provider.resolve(PerRequest)).toThrowError(
      expect.objectContaining({ code: "DI_SCOPED_FROM_ROOT" }),
    );
  });

  it("wraps a failing factory in DI_FACTORY_FAILED with the cause and the registration site", () => {
    const Boom = token<string>("Boom");
    const provider = new ServiceCollection()
      .addSingleton(Boom, {
        useFactory: () => {
          throw new Error("no disk");
        },
      })
      .build();
    try {
      provider.resolve(Boom);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DiError);
      expect((error as DiError).code).toBe("DI_FACTORY_FAILED");
      expect((error as Error).message).toMatch(/Boom.*service-collection\.test\.ts:\d+.*no disk/);
      expect((error as Error).cause).toEqual(new Error("no disk"));
    }
  });

  it("refuses a factory that returns undefined", () => {
    const Nothing = token<string>("Nothing");
    const provider = new ServiceCollection()
      .addSingleton(Nothing, { useFactory: () => undefined as unknown as string })
      .build();
    expect(() => provider.resolve(Nothing)).toThrowError(/returned undefined/);
  });

  it("can only be built once, and is closed after build", () => {
    const services = new ServiceCollection();
    services.build();
    expect(() => services.build()).toThrowError(
      expect.objectContaining({ code: "DI_ALREADY_BUILT" }),
    );
    expect(() => services.addSingleton(Clock)).toThrowError(
      expect.objectContaining({ code: "DI_ALREADY_BUILT" }),
    );
  });
});
