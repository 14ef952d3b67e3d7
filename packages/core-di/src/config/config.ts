import type { ZodType } from "zod";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { freezeTree, isPlainObject, type PlainObject } from "./merge.ts";
import { describeValue } from "./redact.ts";

/**
 * Merged configuration: YAML files, `.env`, and `DEXT__` environment variables, with the
 * source of every value remembered so errors can name the file or variable.
 *
 * @example
 * ```ts
 * const config = loadConfig({ dir: "config" });
 * const web = config.section("web", z.object({ port: z.number().int().default(3000) }));
 * ```
 */
export interface Config {
  /** The environment name (`development`, `production`, `test`, ...). */
  readonly env: string;
  /** The merged values, deep-frozen. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Environment variables as seen by the app: `.env` entries overridden by the real ones. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The value at a dotted path, or `undefined`. */
  get(path: string): unknown;
  /** Where the value at a dotted path came from. */
  sourceOf(path: string): string | undefined;
  /**
   * Validates one top-level section with a zod schema and returns the parsed value.
   * Throws `CONFIG_INVALID` listing every bad key with its source and expected type.
   */
  section<T>(name: string, schema: ZodType<T>): T;
  /** Like `section`, but returns the issues instead of throwing (to collect several sections). */
  check<T>(
    name: string,
    schema: ZodType<T>,
  ): { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };
}

export interface ConfigState {
  readonly env: string;
  readonly values: PlainObject;
  readonly sources: ReadonlyMap<string, string>;
  /** Raw strings of values that came from environment variables, by dotted path. */
  readonly rawEnv: ReadonlyMap<string, string>;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

const pathKey = (path: readonly PropertyKey[]): string => path.map(String).join(".");

function setAt(target: PlainObject, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next)) return;
    node = next;
  }
  node[path[path.length - 1]!] = value;
}

class ConfigImpl implements Config {
  readonly env: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly #sources: ReadonlyMap<string, string>;
  readonly #rawEnv: ReadonlyMap<string, string>;

  constructor(state: ConfigState) {
    this.env = state.env;
    this.values = freezeTree(state.values);
    this.environment = Object.freeze({ ...state.environment });
    this.#sources = state.sources;
    this.#rawEnv = state.rawEnv;
  }

  get(path: string): unknown {
    let node: unknown = this.values;
    for (const key of path.split(".")) {
      if (!isPlainObject(node)) return undefined;
      node = node[key];
    }
    return node;
  }

  sourceOf(path: string): string | undefined {
    // The closest recorded ancestor: a missing key inherits the source of its section.
    for (let p = path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
      const s = this.#sources.get(p);
      if (s) return s;
    }
    return undefined;
  }

  check<T>(
    name: string,
    schema: ZodType<T>,
  ): { ok: true; value: T } | { ok: false; issues: ConfigIssue[] } {
    const input = this.values[name];
    let result = schema.safeParse(input, { reportInput: true });
    if (!result.success) {
      // A variable like DEXT__DB__PASSWORD=0123 reads as a number; where the schema wants a
      // string, give it the exact string that was set and try again.
      const retry = structuredClone(input) as unknown;
      let patched = false;
      for (const issue of result.error.issues) {
        const full = pathKey([name, ...issue.path]);
        const raw = this.#rawEnv.get(full);
        if (
          raw !== undefined &&
          issue.code === "invalid_type" &&
          issue.expected === "string" &&
          isPlainObject(retry)
        ) {
          setAt(retry, issue.path.map(String), raw);
          patched = true;
        }
      }
      if (patched) result = schema.safeParse(retry, { reportInput: true });
    }
    if (result.success) return { ok: true, value: result.data };
    const issues = result.error.issues.map((issue): ConfigIssue => {
      const path = [name, ...issue.path.map(String)];
      const full = pathKey(path);
      const value = "input" in issue ? issue.input : undefined;
      return {
        source: this.sourceOf(full) ?? "default",
        path: full,
        message: `${issue.message} (got ${describeValue(path, value)})`,
      };
    });
    return { ok: false, issues };
  }

  section<T>(name: string, schema: ZodType<T>): T {
    const r = this.check(name, schema);
    if (!r.ok) throw ConfigError.invalid(r.issues);
    return r.value;
  }
}

/** @internal */
export function configFromState(state: ConfigState): Config {
  return new ConfigImpl(state);
}

/**
 * A config from values in code (tests, embedded apps); errors name `source` as the origin.
 *
 * @example
 * ```ts
 * const config = createConfig({ web: { port: 0 } });
 * ```
 */
export function createConfig(
  values: Record<string, unknown> = {},
  options: { env?: string; source?: string } = {},
): Config {
  const sources = new Map<string, string>();
  for (const key of Object.keys(values)) sources.set(key, options.source ?? "code");
  return new ConfigImpl({
    env: options.env ?? "development",
    values: structuredClone(values),
    sources,
    rawEnv: new Map(),
    environment: {},
  });
}
