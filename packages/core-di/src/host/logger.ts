import { type Token, token } from "../token.ts";

/** A log method in pino's shape: `log.info({ task }, "migrated")` or `log.info("ready")`. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/**
 * The logging interface packages depend on, so none of them imports a logger library;
 * @dext/telemetry registers a pino-backed implementation under {@link LoggerToken}.
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  /**
   * Whether a line at `level` would be written (pino's method of the same name). Optional: a
   * caller that gets no answer builds the line and lets the logger drop it.
   */
  isLevelEnabled?(level: LogLevel): boolean;
}

/** Where the host and modules find the app's {@link Logger}. */
export const LoggerToken: Token<Logger> = token<Logger>("Logger");

const levels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevel = keyof typeof levels;

/**
 * A dependency-free logger writing pino-compatible JSON lines to stdout; the host uses it
 * until a module registers a real one.
 */
export function jsonLogger(
  options: {
    level?: LogLevel;
    bindings?: Record<string, unknown>;
    write?: (line: string) => void;
  } = {},
): Logger {
  const min = levels[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const bindings = options.bindings ?? {};
  const make = (level: LogLevel): LogFn =>
    ((objOrMsg: object | string, msg?: string) => {
      if (levels[level] < min) return;
      const fields =
        typeof objOrMsg === "string"
          ? { msg: objOrMsg }
          : { ...serialize(objOrMsg), ...(msg !== undefined ? { msg } : {}) };
      write(
        `${JSON.stringify({ level: levels[level], time: Date.now(), ...bindings, ...fields })}\n`,
      );
    }) as LogFn;
  return {
    trace: make("trace"),
    debug: make("debug"),
    info: make("info"),
    warn: make("warn"),
    error: make("error"),
    fatal: make("fatal"),
    child: (more) => jsonLogger({ ...options, bindings: { ...bindings, ...more } }),
    isLevelEnabled: (level) => levels[level] >= min,
  };
}

function serialize(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] =
      v instanceof Error
        ? { type: v.name, message: v.message, stack: v.stack, code: (v as { code?: unknown }).code }
        : v;
  }
  return out;
}

const drop: LogFn = () => {};

/** A logger that drops everything (tests, libraries that must stay quiet). */
export const silentLogger: Logger = {
  trace: drop,
  debug: drop,
  info: drop,
  warn: drop,
  error: drop,
  fatal: drop,
  child: () => silentLogger,
};
