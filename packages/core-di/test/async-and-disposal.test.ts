import { describe, expect, it } from "vitest";
import { DiError, DisposalError, ServiceCollection, token } from "../src/index.ts";

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("async factories", () => {
  it("awaits an async singleton once; concurrent first resolutions share the instance", async () => {
    let created = 0;
    const Pool = token<{ id: number }>("Pool");
    const provider = new ServiceCollection()
      .addSingleton(Pool, {
        useFactory: async () => {
          created++;
          await tick();
          return { id: created };
        },
      })
      .build();
    const all = await Promise.all(Array.from({ length: 50 }, () => provider.resolveAsync(Pool)));
    expect(created).toBe(1);
    expect(new Set(all).size).toBe(1);
    expect(provider.resolve(Pool)).toBe(all[0]);
  });

  it("throws DI_ASYNC_NOT_READY for a sync resolve before start(), without creating twice", async () => {
    let created = 0;
    const Pool = token<object>("Pool");
    const provider = new ServiceCollection()
      .addSingleton(Pool, {
        useFactory: async () => {
          created++;
          await tick();
          return {};
        },
      })
      .build();
    expect(() => provider.resolve(Pool)).toThrowError(
      expect.objectContaining({ code: "DI_ASYNC_NOT_READY" }),
    );
    await provider.start();
    expect(created).toBe(1);
    expect(provider.resolve(Pool)).toEqual({});
  });

  it("start() creates singletons in dependency order; dispose() disposes them in reverse", async () => {
    const log: string[] = [];
    const make = (name: string) => ({
      async [Symbol.asyncDispose]() {
        await tick();
        log.push(`dispose ${name}`);
      },
    });
    const Config = token<object>("Config");
    const Pool = token<object>("Pool");
    const Cache = token<object>("Cache");
    const provider = new ServiceCollection()
      .addSingleton(Cache, {
        deps: [Pool],
        useFactory: () => {
          log.push("create Cache");
          return make("Cache");
        },
      })
      .addSingleton(Pool, {
        deps: [Config],
        useFactory: async () => {
          await tick();
          log.push("create Pool");
          return make("Pool");
        },
      })
      .addSingleton(Config, {
        useFactory: () => {
          log.push("create Config");
          return make("Config");
        },
      })
      .build();
    await provider.start();
    await provider.dispose();
    expect(log).toEqual([
      "create Config",
      "create Pool",
      "create Cache",
      "dispose Cache",
      "dispose Pool",
      "dispose Config",
    ]);
  });

  it("retries an async singleton whose factory failed", async () => {
    let attempts = 0;
    const Conn = token<string>("Conn");
    const provider = new ServiceCollection()
      .addSingleton(Conn, {
        useFactory: async () => {
          attempts++;
          if (attempts === 1) throw new Error("refused");
          return "ok";
        },
      })
      .build();
    await expect(provider.resolveAsync(Conn)).rejects.toMatchObject({ code: "DI_FACTORY_FAILED" });
    await expect(provider.resolveAsync(Conn)).resolves.toBe("ok");
  });

  it("resolves async scoped services per scope, once per scope", async () => {
    let created = 0;
    const Session = token<{ n: number }>("Session");
    const provider = new ServiceCollection()
      .addScoped(Session, {
        useFactory: async () => {
          await tick();
          return { n: ++created };
        },
      })
      .build();
    const scope = provider.createScope();
    const [a, b] = await Promise.all([scope.resolveAsync(Session), scope.resolveAsync(Session)]);
    expect(a).toBe(b);
    expect(() => scope.resolve(Session)).not.toThrow();
    expect((await provider.createScope().resolveAsync(Session)).n).toBe(2);
  });
});

describe("scope disposal", () => {
  it("disposes scoped and transient instances in reverse creation order, each way of disposing", async () => {
    const log: string[] = [];
    const A = token<object>("A");
    const B = token<object>("B");
    const C = token<object>("C");
    const provider = new ServiceCollection()
      .addScoped(A, { useFactory: () => ({ [Symbol.dispose]: () => log.push("A") }) })
      .addTransient(B, {
        deps: [A],
        useFactory: () => ({
          async [Symbol.asyncDispose]() {
            log.push("B");
          },
        }),
      })
      .addScoped(C, { deps: [B], useFactory: () => ({ dispose: () => log.push("C") }) })
      .build();
    {
      await using scope = provider.createScope();
      scope.resolve(C);
    }
    expect(log).toEqual(["C", "B", "A"]);
  });

  it("collects every disposal failure into one DisposalError (an AggregateError) and still disposes the rest", async () => {
    const log: string[] = [];
    const A = token<object>("A");
    const B = token<object>("B");
    const C = token<object>("C");
    const provider = new ServiceCollection()
      .addScoped(A, { useFactory: () => ({ dispose: () => log.push("A") }) })
      .addScoped(B, {
        useFactory: () => ({
          dispose() {
            throw new Error("B broke");
          },
        }),
      })
      .addScoped(C, {
        useFactory: () => ({
          async [Symbol.asyncDispose]() {
            throw new Error("C broke");
          },
        }),
      })
      .build();
    const scope = provider.createScope();
    scope.resolve(A);
    scope.resolve(B);
    scope.resolve(C);
    const error = await scope.dispose().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DisposalError);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as DisposalError).code).toBe("DI_DISPOSAL_FAILED");
    expect((error as DisposalError).errors.map((e) => (e as Error).message)).toEqual([
      "C broke",
      "B broke",
    ]);
    expect(log).toEqual(["A"]);
  });

  it("disposes once, however many times it is asked, and refuses resolution afterwards", async () => {
    let disposed = 0;
    const A = token<object>("A");
    const provider = new ServiceCollection()
      .addScoped(A, { useFactory: () => ({ dispose: () => disposed++ }) })
      .build();
    const scope = provider.createScope();
    scope.resolve(A);
    await Promise.all([scope.dispose(), scope.dispose(), scope[Symbol.asyncDispose]()]);
    expect(disposed).toBe(1);
    expect(scope.disposed).toBe(true);
    expect(() => scope.resolve(A)).toThrowError(
      expect.objectContaining({ code: "DI_SCOPE_DISPOSED" }),
    );
  });

  it("disposeInBackground: disposes at once when nothing needs it, reports failures to onError", async () => {
    const Plain = token<{ n: number }>("Plain");
    const Broken = token<object>("Broken");
    const Closing = token<object>("Closing");
    let closed = 0;
    const provider = new ServiceCollection()
      .addScoped(Plain, { useFactory: () => ({ n: 1 }) })
      .addScoped(Broken, {
        useFactory: () => ({
          async [Symbol.asyncDispose]() {
            throw new Error("Broken broke");
          },
        }),
      })
      .addScoped(Closing, { useFactory: () => ({ dispose: () => closed++ }) })
      .build();
    const errors: unknown[] = [];
    const onError = (e: unknown, into: unknown[]) => into.push(e);

    // Nothing to dispose: disposed before the call returns; dispose() after it is a settled no-op.
    const quiet = provider.createScope();
    quiet.resolve(Plain);
    quiet.disposeInBackground(onError, errors);
    expect(quiet.disposed).toBe(true);
    expect(() => quiet.resolve(Plain)).toThrowError(
      expect.objectContaining({ code: "DI_SCOPE_DISPOSED" }),
    );
    await expect(quiet.dispose()).resolves.toBeUndefined();

    // Something to dispose: disposed once, its promise shared with dispose().
    const closing = provider.createScope();
    closing.resolve(Closing);
    closing.disposeInBackground(onError, errors);
    expect(closing.disposed).toBe(true);
    await closing.dispose();
    closing.disposeInBackground(onError, errors);
    expect(closed).toBe(1);

    // A failure reaches onError as a DisposalError; nothing is thrown or left unhandled.
    const broken = provider.createScope();
    broken.resolve(Broken);
    broken.disposeInBackground(onError, errors);
    await broken.dispose().catch(() => undefined);
    await tick();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DisposalError);
    expect((errors[0] as DisposalError).errors.map((e) => (e as Error).message)).toEqual([
      "Broken broke",
    ]);
  });

  it("disposes an async scoped instance that arrives after its scope ended", async () => {
    let disposed = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const Slow = token<object>("Slow");
    const provider = new ServiceCollection()
      .addScoped(Slow, {
        useFactory: async () => {
          await gate;
          return {
            dispose: () => {
              disposed = true;
            },
          };
        },
      })
      .build();
    const scope = provider.createScope();
    const pending = scope.resolveAsync(Slow);
    await scope.dispose();
    release();
    await expect(pending).rejects.toBeInstanceOf(DiError);
    expect(disposed).toBe(true);
  });

  it("does not dispose values it was given", async () => {
    let disposed = false;
    const V = token<object>("V");
    const provider = new ServiceCollection()
      .addSingleton(V, { useValue: { dispose: () => (disposed = true) } })
      .build();
    provider.resolve(V);
    await provider.dispose();
    expect(disposed).toBe(false);
  });
});
