import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  ConfigToken,
  createConfig,
  type DextModule,
  defineModule,
  ServiceCollection,
  token,
} from "../src/index.ts";

const Greeting = token<string>("Greeting");

describe("modules", () => {
  it("registers modules after what they require and passes each its validated config section", () => {
    const order: string[] = [];
    const base: DextModule = {
      name: "base",
      register(services) {
        order.push("base");
        services.addSingleton(token<number>("Base"), { useValue: 1 });
      },
    };
    const greeter = defineModule({
      name: "greeter",
      requires: ["base"],
      config: {
        section: "greeter",
        schema: z.object({ word: z.string().default("hello"), times: z.number().int().min(1) }),
      },
      register(services, config) {
        order.push("greeter");
        services.addSingleton(Greeting, { useValue: config.word.repeat(config.times) });
      },
    });
    const provider = new ServiceCollection()
      .addModule(greeter)
      .addModule(base)
      .build({ config: createConfig({ greeter: { times: 2 } }) });
    expect(order).toEqual(["base", "greeter"]);
    expect(provider.resolve(Greeting)).toBe("hellohello");
    expect(provider.resolve(ConfigToken).get("greeter.times")).toBe(2);
  });

  it("names both modules when a required module is missing, and reports module cycles", () => {
    const a: DextModule = { name: "a", requires: ["b"], register() {} };
    const b: DextModule = { name: "b", requires: ["a"], register() {} };
    const c: DextModule = { name: "c", requires: ["ghost"], register() {} };
    const build = () => new ServiceCollection().addModule(a).addModule(b).addModule(c).build();
    expect(build).toThrowError(expect.objectContaining({ code: "DI_INVALID_MODULES" }));
    expect(build).toThrowError(/module "c" requires module "ghost", which is not added/);
    expect(build).toThrowError(/cycle: "a" -> "b" -> "a"/);
  });

  it("rejects a module added twice", () => {
    const a: DextModule = { name: "a", register() {} };
    expect(() => new ServiceCollection().addModule(a).addModule(a).build()).toThrowError(
      /module "a" is added twice/,
    );
  });

  it("validates every module's section before registering any, in one CONFIG_INVALID error", () => {
    const web = defineModule({
      name: "web",
      config: { section: "web", schema: z.object({ port: z.number().int() }) },
      register() {},
    });
    const db = defineModule({
      name: "db",
      config: { section: "db", schema: z.object({ url: z.string(), password: z.string() }) },
      register() {},
    });
    let error: unknown;
    try {
      new ServiceCollection()
        .addModule(web)
        .addModule(db)
        .build({
          config: createConfig(
            { web: { port: "eighty" }, db: { password: 1234 } },
            { source: "app.ts" },
          ),
        });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(["db.password", "db.url", "web.port"]);
    expect((error as Error).message).toMatch(
      /web\.port \(from app\.ts\): .*expected number.*"eighty"/,
    );
    // Secret-looking keys never show their value.
    expect((error as Error).message).toMatch(/db\.password .*\[redacted\]/);
    expect((error as Error).message).not.toContain("1234");
  });

  it("tags registrations with the module that made them in graph errors", () => {
    const Missing = token<string>("Missing");
    const m: DextModule = {
      name: "broken",
      register(services) {
        services.addSingleton(Greeting, { deps: [Missing], useFactory: (x) => x });
      },
    };
    expect(() => new ServiceCollection().addModule(m).build()).toThrowError(/module "broken"/);
  });
});
