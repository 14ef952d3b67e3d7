import { DiError } from "../errors.ts";

/** One bad configuration value: where it came from, its key path, and what was expected. */
export interface ConfigIssue {
  /** `config/base.yaml`, `env DEXT__WEB__PORT`, `.env (DEXT__WEB__PORT)`, `code`, or `default`. */
  readonly source: string;
  /** Dotted key path from the top (`web.port`). */
  readonly path: string;
  /** What is wrong, including the expected type. */
  readonly message: string;
}

/** A configuration problem; `CONFIG_INVALID` lists every bad value, `CONFIG_PARSE` names the file. */
export class ConfigError extends DiError {
  override readonly name: string = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(
    code: "CONFIG_INVALID" | "CONFIG_PARSE" | "CONFIG_READ",
    message: string,
    issues: readonly ConfigIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.issues = issues;
  }

  /** One error for many issues, one line each. */
  static invalid(issues: readonly ConfigIssue[]): ConfigError {
    const lines = issues.map((i) => `  - ${i.path} (from ${i.source}): ${i.message}`);
    return new ConfigError(
      "CONFIG_INVALID",
      `configuration is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
      issues,
    );
  }
}
