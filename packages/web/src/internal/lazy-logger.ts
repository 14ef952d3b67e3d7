import type { Logger, LogLevel } from "@dext/core-di";

type Level = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/** What a request logger reads when it is first used: the request id and trace fields. */
export interface LogSource {
  readonly id: string;
}

/**
 * A request's child logger, built on its first log line: most requests never log, and a child
 * per request would be paid by all of them. The request id and the telemetry fields (trace and
 * span ids, which exist only once onRequest has opened the span) are read at that first line.
 */
export class LazyLogger implements Logger {
  readonly #parent: Logger;
  readonly #source: LogSource;
  readonly #fields: (source: LogSource) => Readonly<Record<string, string>> | undefined;
  #child: Logger | undefined;

  constructor(
    parent: Logger,
    source: LogSource,
    fields: (source: LogSource) => Readonly<Record<string, string>> | undefined,
  ) {
    this.#parent = parent;
    this.#source = source;
    this.#fields = fields;
  }

  #get(): Logger {
    this.#child ??= this.#parent.child({ reqId: this.#source.id, ...this.#fields(this.#source) });
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
  isLevelEnabled(level: LogLevel): boolean {
    return this.#parent.isLevelEnabled?.(level) ?? true;
  }
}
