import type { Logger } from "@dext/core-di";

type Level = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/**
 * A child logger created on first use: most requests never log from the handler, and
 * building a child per request would be paid by all of them. fastify creates it before
 * onRequest opens the request's span, so the telemetry state is handed over afterwards
 * (`telemetry`) and its fields (trace and span ids) are read at the first log line.
 */
export class LazyLogger implements Logger {
  /** The request's telemetry state, set by onRequest; read when the child is first built. */
  telemetry: unknown = undefined;
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  readonly #fields: (telemetry: unknown) => Readonly<Record<string, string>> | undefined;
  #child: Logger | undefined;

  constructor(
    parent: Logger,
    bindings: Record<string, unknown>,
    fields: (telemetry: unknown) => Readonly<Record<string, string>> | undefined,
  ) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#fields = fields;
  }

  #get(): Logger {
    this.#child ??= this.#parent.child({ ...this.#bindings, ...this.#fields(this.telemetry) });
    return this.#child;
  }

  #log(level: Level, a: object | string, b?: string): void {
    const logger = this.#get();
    // pino's methods read `this`.
    if (b === undefined) (logger[level] as (x: unknown) => void).call(logger, a);
    else (logger[level] as (x: unknown, y: string) => void).call(logger, a, b);
  }

  trace(a: object | string, b?: string): void {
    this.#log("trace", a, b);
  }
  debug(a: object | string, b?: string): void {
    this.#log("debug", a, b);
  }
  info(a: object | string, b?: string): void {
    this.#log("info", a, b);
  }
  warn(a: object | string, b?: string): void {
    this.#log("warn", a, b);
  }
  error(a: object | string, b?: string): void {
    this.#log("error", a, b);
  }
  fatal(a: object | string, b?: string): void {
    this.#log("fatal", a, b);
  }
  child(bindings: Record<string, unknown>): Logger {
    return this.#get().child(bindings);
  }
}
