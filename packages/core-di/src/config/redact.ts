const secretKey =
  /pass(word|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|auth|cookie|session[-_]?key|dsn|connection[-_]?string/i;

/** True when a key path looks like it holds a secret, so its value is never printed. */
export function isSecretPath(path: readonly (string | number)[]): boolean {
  return path.some((segment) => typeof segment === "string" && secretKey.test(segment));
}

/** A short, safe rendering of a config value for an error message. */
export function describeValue(path: readonly (string | number)[], value: unknown): string {
  if (isSecretPath(path)) return "[redacted]";
  if (value === undefined) return "missing";
  const text =
    typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
