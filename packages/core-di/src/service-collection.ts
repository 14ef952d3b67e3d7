import { type Config, createConfig } from "./config/config.ts";
import { ConfigError, type ConfigIssue } from "./config/config-error.ts";
import { type Dependency, dependencyKey } from "./dependency.ts";
import { DiError } from "./errors.ts";
import { callSite } from "./internal/call-site.ts";
import {
  describeProblem,
  findCaptives,
  findCycles,
  type GraphProblem,
} from "./internal/graph-problems.ts";
import { orderModules } from "./internal/module-order.ts";
import { compilePlan } from "./internal/plan.ts";
import type { AnyModule } from "./module.ts";
import type { AddService, Lifetime, NormalizedProvider, Registration } from "./registration.ts";
import { createProvider, type ServiceProvider } from "./service-provider.ts";
import { keyName, type ServiceKey, type Token, token } from "./token.ts";

/** The token the validated {@link Config} is registered under by `build()`. */
export const ConfigToken: Token<Config> = token<Config>("Config");

/** Options for {@link ServiceCollection.build}. */
export interface BuildOptions {
  /** Configuration the modules validate their sections against (default: empty). */
  readonly config?: Config;
}

/** A problem `build()` found, as listed on the `DI_INVALID_GRAPH` error's `problems`. */
export interface GraphProblemReport {
  readonly kind: GraphProblem["kind"];
  readonly message: string;
}

const isProviderObject = (p: unknown): p is Record<string, unknown> =>
  p !== null && typeof p === "object";

function normalize(key: ServiceKey, provider: unknown): NormalizedProvider {
  if (provider === undefined) {
    if (typeof key !== "function") {
      throw new DiError(
        "DI_INVALID_REGISTRATION",
        `${keyName(key)} is a token, so it needs a provider: { useClass }, { useFactory }, { useValue } or { useExisting }`,
      );
    }
    return { kind: "class", ctor: key as never, deps: undefined };
  }
  if (typeof provider === "function")
    return { kind: "class", ctor: provider as never, deps: undefined };
  if (isProviderObject(provider)) {
    const deps = provider.deps as readonly Dependency[] | undefined;
    if (deps !== undefined && !Array.isArray(deps)) {
      throw new DiError(
        "DI_INVALID_REGISTRATION",
        `deps of ${keyName(key)} must be an array of keys`,
      );
    }
    for (const d of deps ?? []) {
      const k = dependencyKey(d);
      if (typeof k !== "symbol" && typeof k !== "function") {
        throw new DiError(
          "DI_INVALID_REGISTRATION",
          `deps of ${keyName(key)} holds ${String(k)}, which is not a token or a class`,
        );
      }
    }
    if ("useClass" in provider && typeof provider.useClass === "function") {
      return { kind: "class", ctor: provider.useClass as never, deps };
    }
    if ("useFactory" in provider && typeof provider.useFactory === "function") {
      return { kind: "factory", fn: provider.useFactory as never, deps: deps ?? [] };
    }
    if ("useValue" in provider) return { kind: "value", value: provider.useValue };
    if (
      "useExisting" in provider &&
      (typeof provider.useExisting === "symbol" || typeof provider.useExisting === "function")
    ) {
      return { kind: "alias", target: provider.useExisting as ServiceKey };
    }
  }
  throw new DiError(
    "DI_INVALID_REGISTRATION",
    `the provider for ${keyName(key)} is not a class, { useClass }, { useFactory }, { useValue } or { useExisting }`,
  );
}

/**
 * Collects registrations and modules, then `build()`s a validated {@link ServiceProvider}.
 *
 * @example
 * ```ts
 * const provider = new ServiceCollection()
 *   .addSingleton(Clock)
 *   .addScoped(Greeter, { deps: [Clock], useFactory: (clock) => new Greeter(clock) })
 *   .build();
 * ```
 */
export class ServiceCollection {
  readonly #registrations: Registration[] = [];
  readonly #modules: AnyModule[] = [];
  #currentModule: string | undefined;
  #built = false;

  /** Registers a service with one instance per provider. */
  readonly addSingleton: AddService<this> = (key: ServiceKey, provider?: unknown) =>
    this.#add("singleton", key, provider);
  /** Registers a service with one instance per scope (per request). */
  readonly addScoped: AddService<this> = (key: ServiceKey, provider?: unknown) =>
    this.#add("scoped", key, provider);
  /** Registers a service with a new instance per resolution, disposed with its scope. */
  readonly addTransient: AddService<this> = (key: ServiceKey, provider?: unknown) =>
    this.#add("transient", key, provider);

  #add(lifetime: Lifetime, key: ServiceKey, provider: unknown): this {
    this.#assertOpen();
    if (typeof key !== "symbol" && typeof key !== "function") {
      throw new DiError(
        "DI_INVALID_REGISTRATION",
        `a service key must be a token<T>() or a class, not ${typeof key}`,
      );
    }
    this.#registrations.push({
      key,
      lifetime,
      provider: normalize(key, provider),
      site: callSite(),
      module: this.#currentModule,
    });
    return this;
  }

  /** Adds a module; it registers its services during `build()`, after its `requires`. */
  addModule(module: AnyModule): this {
    this.#assertOpen();
    this.#modules.push(module);
    return this;
  }

  /** Whether `key` has a registration so far (modules register theirs at `build()`). */
  has(key: ServiceKey): boolean {
    return this.#registrations.some((r) => r.key === key);
  }

  get registrations(): readonly Registration[] {
    return this.#registrations;
  }

  /** The modules in `requires` order (after `build()`), as the host starts them. */
  get modules(): readonly AnyModule[] {
    return this.#modules;
  }

  #assertOpen(): void {
    if (this.#built) {
      throw new DiError(
        "DI_ALREADY_BUILT",
        "this ServiceCollection was already built; register everything before build()",
      );
    }
  }

  /**
   * Registers the modules (validating each one's config section), then validates the whole
   * graph and returns the provider. Throws ONE error listing every problem: `DI_INVALID_MODULES`,
   * `CONFIG_INVALID`, or `DI_INVALID_GRAPH` (missing registrations, cycles, captives).
   */
  build(options: BuildOptions = {}): ServiceProvider {
    this.#assertOpen();
    const config = options.config ?? createConfig();

    const { ordered, problems: moduleProblems } = orderModules(this.#modules);
    if (moduleProblems.length > 0) {
      throw new DiError(
        "DI_INVALID_MODULES",
        `the modules cannot be composed (${moduleProblems.length} problem${moduleProblems.length === 1 ? "" : "s"}):\n${moduleProblems.map((p) => `  - ${p}`).join("\n")}`,
      );
    }
    const sections: unknown[] = [];
    const issues: ConfigIssue[] = [];
    for (const m of ordered) {
      if (!m.config) {
        sections.push(undefined);
        continue;
      }
      const r = config.check(m.config.section, m.config.schema);
      if (r.ok) sections.push(r.value);
      else issues.push(...r.issues);
    }
    if (issues.length > 0) throw ConfigError.invalid(issues);

    this.#modules.splice(0, this.#modules.length, ...ordered);
    ordered.forEach((m, i) => {
      this.#currentModule = m.name;
      try {
        m.register(this, sections[i]);
      } finally {
        this.#currentModule = undefined;
      }
    });
    if (!this.has(ConfigToken)) {
      this.#registrations.unshift({
        key: ConfigToken,
        lifetime: "singleton",
        provider: { kind: "value", value: config },
        site: undefined,
        module: undefined,
      });
    }
    this.#built = true;

    const problems: GraphProblem[] = [];
    const plan = compilePlan(this.#registrations, problems);
    problems.push(...findCycles(plan.nodes), ...findCaptives(plan.nodes));
    if (problems.length > 0) throw invalidGraph(problems);
    return createProvider(plan, this.#registrations);
  }
}

/** The `DI_INVALID_GRAPH` error: every problem numbered, each naming where it was registered. */
export class GraphError extends DiError {
  override readonly name: string = "GraphError";
  readonly problems: readonly GraphProblemReport[];

  constructor(problems: readonly GraphProblemReport[]) {
    super(
      "DI_INVALID_GRAPH",
      `the service graph has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems
        .map((p, i) => `  ${i + 1}. ${p.message}`)
        .join("\n")}`,
    );
    this.problems = problems;
  }
}

function invalidGraph(problems: readonly GraphProblem[]): GraphError {
  return new GraphError(problems.map((p) => ({ kind: p.kind, message: describeProblem(p) })));
}
