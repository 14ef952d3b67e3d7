import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";
import { WebError } from "../errors.ts";

/** Sets the security headers on one response. */
export type ApplyHeaders = (req: IncomingMessage, res: ServerResponse) => void;

const hasFunction = (value: unknown, depth = 0): boolean => {
  if (typeof value === "function") return true;
  if (depth > 4 || value === null || typeof value !== "object") return false;
  return Object.values(value).some((v) => hasFunction(v, depth + 1));
};

/**
 * helmet's headers for these options. They depend only on the options unless a CSP directive
 * is a function (nonces), so they are computed once and copied onto each response; with
 * function directives helmet runs per request.
 */
export function securityHeaders(options: HelmetOptions): {
  readonly apply: ApplyHeaders | undefined;
  readonly fixed: Readonly<Record<string, string>> | undefined;
} {
  let middleware: ReturnType<typeof helmet>;
  try {
    middleware = helmet(options);
  } catch (error) {
    throw new WebError(
      "WEB_INVALID_OPTIONS",
      `securityHeaders options are invalid: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (hasFunction(options)) {
    return {
      fixed: undefined,
      apply: (req, res) =>
        middleware(req, res, (error?: unknown) => {
          if (error) throw error;
        }),
    };
  }
  const fixed: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      fixed[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete fixed[name.toLowerCase()];
    },
    getHeader: (name: string) => fixed[name.toLowerCase()],
  };
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return { fixed, apply: undefined };
}
