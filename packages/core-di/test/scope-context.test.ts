import { describe, expect, it } from "vitest";
import {
  currentScope,
  runInScope,
  ServiceCollection,
  token,
  tryCurrentScope,
} from "../src/index.ts";

describe("currentScope()", () => {
  it("returns the scope bound by runInScope across awaits", async () => {
    const Id = token<{ id: number }>("Id");
    let next = 0;
    const provider = new ServiceCollection()
      .addScoped(Id, { useFactory: () => ({ id: ++next }) })
      .build();
    await using scope = provider.createScope();
    const seen = await runInScope(scope, async () => {
      await Promise.resolve();
      const first = currentScope().resolve(Id);
      await new Promise((r) => setImmediate(r));
      return [first, currentScope().resolve(Id)];
    });
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toBe(scope.resolve(Id));
  });

  it("throws DI_NO_SCOPE outside a scope with a message that says what to do", () => {
    expect(tryCurrentScope()).toBeUndefined();
    expect(() => currentScope()).toThrowError(
      expect.objectContaining({
        code: "DI_NO_SCOPE",
        message: expect.stringContaining("runInScope"),
      }),
    );
  });

  it("passes the arguments after fn to it, inside the scope", async () => {
    const provider = new ServiceCollection().build();
    const scope = provider.createScope();
    const seen = runInScope(
      scope,
      (a: number, b: string) => ({ a, b, scope: currentScope() }),
      1,
      "two",
    );
    expect(seen).toEqual({ a: 1, b: "two", scope });
    await scope.dispose();
  });

  it("scope.run(fn) is runInScope(scope, fn), and nested scopes restore the outer one", async () => {
    const provider = new ServiceCollection().build();
    const outer = provider.createScope();
    const inner = provider.createScope();
    await outer.run(async () => {
      expect(currentScope()).toBe(outer);
      await inner.run(async () => {
        await Promise.resolve();
        expect(currentScope()).toBe(inner);
      });
      expect(currentScope()).toBe(outer);
    });
  });

  it("keeps timers and event callbacks started in a scope in that scope", async () => {
    const provider = new ServiceCollection().build();
    const scope = provider.createScope();
    const fromTimer = await scope.run(
      () => new Promise((resolve) => setTimeout(() => resolve(currentScope()), 1)),
    );
    expect(fromTimer).toBe(scope);
  });
});
