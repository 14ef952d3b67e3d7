import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { parseDocument } from "yaml";
import { type Config, configFromState } from "./config.ts";
import { ConfigError } from "./config-error.ts";
import { entryToObject, envEntries } from "./env-vars.ts";
import { isPlainObject, mergeLayer, type PlainObject } from "./merge.ts";

/** Where configuration comes from; every field has a default. */
export interface LoadConfigOptions {
  /** Directory of YAML files (default `config`, relative to `cwd`). */
  readonly dir?: string;
  /** Environment name; default `DEXT_ENV`, then `NODE_ENV`, then `development`. */
  readonly env?: string;
  /** The `.env` file to read, or `false` for none (default `.env`, relative to `cwd`). */
  readonly envFile?: string | false;
  /** The environment variables (default `process.env`). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Variable prefix: `DEXT` reads `DEXT__SECTION__KEY` (the default). */
  readonly prefix?: string;
  /** Names of environment override files, skipped as base files (default: development, production, test, staging). */
  readonly environments?: readonly string[];
  readonly cwd?: string;
}

const yamlFile = /\.ya?ml$/i;

function readYaml(file: string, display: string): PlainObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      "CONFIG_READ",
      `cannot read ${display}: ${(error as Error).message}`,
      [],
      { cause: error },
    );
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0];
    throw new ConfigError(
      "CONFIG_PARSE",
      `${display}${pos ? `:${pos.line}:${pos.col}` : ""} is not valid YAML: ${first.message.split("\n")[0]}`,
      [{ source: display, path: "", message: first.message }],
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError(
      "CONFIG_PARSE",
      `${display} must hold a mapping of sections at the top level, not ${Array.isArray(value) ? "a list" : typeof value}`,
    );
  }
  return value;
}

/**
 * Loads configuration in this order, later layers winning: `config/*.yaml` in name order
 * (skipping environment files), `config/<env>.yaml`, `.env`, then `DEXT__SECTION__KEY`
 * environment variables.
 *
 * @example
 * ```ts
 * // config/base.yaml: { web: { port: 3000 } }; DEXT__WEB__PORT=8080 wins.
 * const config = loadConfig({ env: "production" });
 * config.get("web.port"); // 8080
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const environment = options.environment ?? process.env;
  const env = options.env ?? environment.DEXT_ENV ?? environment.NODE_ENV ?? "development";
  const prefix = options.prefix ?? "DEXT";
  const envNames = new Set([
    ...(options.environments ?? ["development", "production", "test", "staging"]),
    env,
  ]);
  const dir = join(cwd, options.dir ?? "config");
  const display = (file: string): string => relative(cwd, file) || file;

  const values: PlainObject = {};
  const sources = new Map<string, string>();
  const rawEnv = new Map<string, string>();

  if (existsSync(dir)) {
    const files = readdirSync(dir)
      .filter((f) => yamlFile.test(f))
      .sort();
    const stem = (f: string): string => f.replace(yamlFile, "");
    for (const file of files.filter((f) => !envNames.has(stem(f)))) {
      const path = join(dir, file);
      mergeLayer(values, readYaml(path, display(path)), display(path), sources);
    }
    const envFile = files.find((f) => stem(f) === env);
    if (envFile) {
      const path = join(dir, envFile);
      mergeLayer(values, readYaml(path, display(path)), display(path), sources);
    }
  }

  let fromDotenv: Record<string, string> = {};
  if (options.envFile !== false) {
    const file = join(cwd, options.envFile ?? ".env");
    if (existsSync(file)) fromDotenv = parseDotenv(readFileSync(file));
  }
  for (const entry of envEntries(fromDotenv, prefix, values)) {
    if (environment[entry.variable] !== undefined) continue; // the real variable wins
    mergeLayer(values, entryToObject(entry), `.env (${entry.variable})`, sources);
    rawEnv.set(entry.path.join("."), entry.raw);
  }
  for (const entry of envEntries(environment, prefix, values)) {
    mergeLayer(values, entryToObject(entry), `env ${entry.variable}`, sources);
    rawEnv.set(entry.path.join("."), entry.raw);
  }

  return configFromState({
    env,
    values,
    sources,
    rawEnv,
    environment: { ...fromDotenv, ...environment },
  });
}
