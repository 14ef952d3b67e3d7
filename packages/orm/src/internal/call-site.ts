import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

// The package's own code: src/ when run from source, dist/ when installed.
const ownRoot = dirname(dirname(fileURLToPath(import.meta.url))) + sep;
const framePath = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):\d+\)?\s*$/;

/**
 * `file:line` of the first stack frame outside @dext/orm: where the user declared something.
 * Taken once per declaration (an entity), never on a query path.
 */
export function callSite(): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 12;
  Error.captureStackTrace(holder, callSite);
  Error.stackTraceLimit = limit;
  for (const line of (holder.stack ?? "").split("\n").slice(1)) {
    const m = framePath.exec(line);
    if (!m) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(ownRoot) || file.includes(`${sep}node_modules${sep}`)) continue;
    const rel = relative(process.cwd(), file);
    return `${rel.startsWith("..") ? file : rel}:${m[2]}`;
  }
  return undefined;
}
