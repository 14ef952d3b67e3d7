import type { ZodType } from "zod";
import type { Host } from "./host/host.ts";
import type { ServiceCollection } from "./service-collection.ts";

/** The config section a module reads, and the zod schema that validates it at `build()`. */
export interface ModuleConfig<T> {
  readonly section: string;
  readonly schema: ZodType<T>;
}

/**
 * A unit of composition: registers services, and optionally does work when the host starts
 * and stops. Every Dext package that contributes at runtime ships one (`orm()`, `web()`, ...).
 *
 * @example
 * ```ts
 * const clock: DextModule<{ zone: string }> = {
 *   name: "clock",
 *   config: { section: "clock", schema: z.object({ zone: z.string().default("UTC") }) },
 *   register(services, config) {
 *     services.addSingleton(Clock, { useFactory: () => new Clock(config.zone) });
 *   },
 * };
 * ```
 */
export interface DextModule<TConfig = undefined> {
  /** Unique name; other modules list it in `requires`. */
  readonly name: string;
  /** Modules that must be registered (and started) before this one. */
  readonly requires?: readonly string[];
  /** The config section to validate and pass to `register`. */
  readonly config?: ModuleConfig<TConfig>;
  register(services: ServiceCollection, config: TConfig): void;
  /** Runs in the host's `Starting` state, in `requires` order. */
  start?(host: Host): void | Promise<void>;
  /** Runs in the host's `Stopping` state, in reverse order, within the shutdown deadline. */
  stop?(host: Host): void | Promise<void>;
}

/** A module of any config type, as lists of modules hold them. */
export type AnyModule = DextModule<any>;

/**
 * Declares a module with its config type inferred from the schema.
 *
 * @example
 * ```ts
 * export const mail = (defaults: { from: string }) => defineModule({
 *   name: "mail",
 *   config: { section: "mail", schema: z.object({ host: z.string() }) },
 *   register(services, config) { services.addSingleton(Mailer, { useValue: new Mailer(config.host, defaults.from) }); },
 * });
 * ```
 */
export function defineModule<TConfig = undefined>(
  module: DextModule<TConfig>,
): DextModule<TConfig> {
  return module;
}
