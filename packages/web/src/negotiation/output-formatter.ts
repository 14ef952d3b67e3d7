/**
 * Turns a handler's data into a response body of one media type. The app picks a formatter by
 * the request's `Accept` header (q-values honoured); JSON is the default.
 *
 * @example
 * ```ts
 * import { encode } from "@msgpack/msgpack";
 * const msgpack: OutputFormatter = {
 *   mediaType: "application/msgpack",
 *   format: (data) => Buffer.from(encode(data)),
 * };
 * createApp({ web: { formatters: [msgpack] } });
 * ```
 */
export interface OutputFormatter {
  /** The media type it produces, without parameters (`application/xml`). */
  readonly mediaType: string;
  /** The `Content-Type` sent; default `mediaType` (add `; charset=utf-8` for text types). */
  readonly contentType?: string;
  format(data: unknown): string | Uint8Array;
}

/**
 * The default JSON formatter (`application/json`).
 *
 * @example
 * ```ts
 * createApp({ web: { formatters: [jsonFormatter, xmlFormatter()] } });
 * ```
 */
export const jsonFormatter: OutputFormatter = {
  mediaType: "application/json",
  contentType: "application/json; charset=utf-8",
  format: (data) => JSON.stringify(data) ?? "null",
};
