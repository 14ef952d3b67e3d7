import { describe, expect, it } from "vitest";
import { inject, injectable, ServiceCollection, token } from "../src/index.ts";

describe("tsyringe interop", () => {
  it("a scope's tsyringe container resolves the same instances with the same lifetimes", () => {
    class Clock {}
    class Session {}
    const provider = new ServiceCollection().addSingleton(Clock).addScoped(Session).build();
    const a = provider.createScope();
    const b = provider.createScope();
    expect(a.container.resolve(Session)).toBe(a.resolve(Session));
    expect(a.container.resolve(Session)).not.toBe(b.container.resolve(Session));
    expect(a.container.resolve(Clock)).toBe(provider.resolve(Clock));
    expect(provider.container.resolve(Clock)).toBe(provider.resolve(Clock));
  });

  it("tsyringe-decorated classes that Dext does not know get Dext's services injected", () => {
    const Greeting = token<string>("Greeting");
    class Session {}
    @injectable()
    class LegacyHandler {
      readonly greeting: string;
      readonly session: Session;
      constructor(@inject(Greeting) greeting: string, session: Session) {
        this.greeting = greeting;
        this.session = session;
      }
    }
    const provider = new ServiceCollection()
      .addSingleton(Greeting, { useValue: "hi" })
      .addScoped(Session)
      .build();
    const scope = provider.createScope();
    const handler = scope.container.resolve(LegacyHandler);
    expect(handler.greeting).toBe("hi");
    expect(handler.session).toBe(scope.resolve(Session));
  });

  it("refuses resolution through the container of a disposed scope", async () => {
    class Session {}
    const provider = new ServiceCollection().addScoped(Session).build();
    const scope = provider.createScope();
    const container = scope.container;
    await scope.dispose();
    expect(() => container.resolve(Session)).toThrowError(/disposed/);
  });
});
