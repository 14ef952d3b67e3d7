import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const framePath = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):\d+\)?\s*$/;

/**
 * `file:line` of the first stack frame outside `codeRoot` (a package's `src/` or `dist/`) and
 * outside `node_modules`: where the user called into that package. For error messages that point at a declaration;
 * take it when something is declared, never on a hot path (it captures a stack).
 *
 * @example
 * ```ts
 * // In a package's src/internal/site.ts: its code root (src/, or dist/ once built) is "..".
 * const site = callSiteOutside(new URL("..", import.meta.url)); // "src/app.ts:12"
 * ```
 */
export function callSiteOutside(
  codeRoot: string | URL,
  options: { readonly skipPaths?: readonly string[]; readonly depth?: number } = {},
): string | undefined {
  const root = typeof codeRoot === "string" ? codeRoot : fileURLToPath(codeRoot);
  const ownRoot = root.endsWith(sep) ? root : root + sep;
  const skipPaths = options.skipPaths ?? [];
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = options.depth ?? 20;
  Error.captureStackTrace(holder, callSiteOutside);
  Error.stackTraceLimit = limit;
  for (const line of (holder.stack ?? "").split("\n").slice(1)) {
    const m = framePath.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(ownRoot) || file.includes(`${sep}node_modules${sep}`)) continue;
    if (skipPaths.some((p) => file.includes(p))) continue;
    const rel = relative(process.cwd(), file);
    return `${rel.startsWith("..") ? file : rel}:${m[2]}`;
  }
  return undefined;
}
