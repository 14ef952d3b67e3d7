import { callSiteOutside } from "../call-site.ts";

// The package's own code: src/ when run from source, dist/ when installed.
const ownRoot = new URL("..", import.meta.url);

/**
 * `file:line` of the first stack frame outside @dext/core-di: where the user called us.
 * Used only at registration time, never on a resolution path.
 */
export function callSite(skipPaths: readonly string[] = []): string | undefined {
  return callSiteOutside(ownRoot, { skipPaths });
}
