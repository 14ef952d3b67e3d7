import { createConfig, type Logger, silentLogger } from "@dext/core-di";
import { type AppOptions, createApp, type WebApp, type WebOptions } from "../src/index.ts";

/** An app for tests: production-like env (no error details), quiet, no socket unless listened. */
export function testApp(web: WebOptions = {}, options: Omit<AppOptions, "web"> = {}): WebApp {
  return createApp({
    logger: silentLogger,
    config: createConfig({}, { env: "test" }),
    ...options,
    web: { port: 0, host: "127.0.0.1", requestLog: false, ...web },
  });
}

/** A logger that records every line, for asserting on what was logged. */
export function recordingLogger(): Logger & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: string) =>
      (a: object | string, b?: string): void => {
        lines.push(
          typeof a === "string"
            ? { level, ...bindings, msg: a }
            : { level, ...bindings, ...a, ...(b !== undefined ? { msg: b } : {}) },
        );
      };
    return {
      trace: at("trace"),
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      fatal: at("fatal"),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { lines });
}

/** A promise the test resolves by hand: handlers wait on it, so nothing depends on timing. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Resolves once `predicate` holds, re-checking every few milliseconds; correctness never depends
 * on how long it takes (the test timeout is the only bound).
 */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 2));
}
