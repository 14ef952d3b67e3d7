import { callSiteOutside } from "@dext/core-di";

// The package's own code: src/ when run from source, dist/ when installed.
const ownRoot = new URL("..", import.meta.url);

/**
 * `file:line` of the first stack frame outside @dext/orm: where the user declared something.
 * Taken once per declaration (an entity), never on a query path.
 */
export function callSite(): string | undefined {
  return callSiteOutside(ownRoot, { depth: 12 });
}
