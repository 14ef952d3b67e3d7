import type { Metrics } from "./metrics.ts";

/** What {@link metricsEndpoint}'s handler answers: ready to write as an HTTP response. */
export interface MetricsResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * A framework-free scrape handler: give it the request's `Accept` header, send what it
 * returns. The web layer mounts it at `/metrics`.
 *
 * @example
 * ```ts
 * const scrape = metricsEndpoint(metrics);
 * http.createServer(async (req, res) => {
 *   const { status, contentType, body } = await scrape(req.headers.accept);
 *   res.writeHead(status, { "content-type": contentType }).end(body);
 * });
 * ```
 */
export function metricsEndpoint(metrics: Metrics): (accept?: string) => Promise<MetricsResponse> {
  return async (accept) => {
    try {
      const { contentType, body } = await metrics.exposition(accept);
      return { status: 200, contentType, body };
    } catch (error) {
      // Collect failures are already isolated per metric; reaching here is a registry bug.
      const message = error instanceof Error ? error.message : String(error);
      return {
        status: 500,
        contentType: "text/plain; charset=utf-8",
        body: `metrics exposition failed: ${message}\n`,
      };
    }
  };
}
