import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { create as contentDisposition } from "content-disposition";
import mime from "mime-types";
import { HttpResult } from "./http-result.ts";

/**
 * A ready body sent as it is, with its media type, bypassing content negotiation (compressed
 * when the client accepts it and it is over the threshold).
 *
 * @example
 * ```ts
 * return content(csvText, "text/csv; charset=utf-8");
 * ```
 */
export function content(
  body: string | Uint8Array,
  contentType: string,
  status = 200,
): HttpResult<string | Uint8Array> {
  return new HttpResult<string | Uint8Array>({ kind: "content", status, body, contentType });
}

/**
 * An HTML page or fragment (`text/html; charset=utf-8`); anything with a `toString()` works,
 * so the output of an HTML template helper can be returned as it is.
 *
 * @example
 * ```ts
 * app.get("/").handle(() => html(`<h1>Hello</h1>`));
 * ```
 */
export function html(
  markup: string | { toString(): string },
  status = 200,
): HttpResult<string | Uint8Array> {
  return content(
    typeof markup === "string" ? markup : markup.toString(),
    "text/html; charset=utf-8",
    status,
  );
}

/**
 * Streams a body as it is produced (compressed on the fly when the client accepts it); the
 * stream is destroyed if the client goes away.
 *
 * @example
 * ```ts
 * return stream(Readable.from(rows()), "application/x-ndjson");
 * ```
 */
export function stream(
  body: Readable,
  contentType = "application/octet-stream",
  status = 200,
): HttpResult<undefined> {
  return new HttpResult<undefined>({ kind: "stream", status, stream: body, contentType });
}

/**
 * Options of {@link file}.
 *
 * @example
 * ```ts
 * return file("exports/threads.csv", { contentType: "text/csv; charset=utf-8", downloadAs: "threads.csv" });
 * ```
 */
export interface FileOptions {
  /** Default: from the file extension, else `application/octet-stream`. */
  readonly contentType?: string;
  /** Send as a download (`Content-Disposition: attachment`) under this name. */
  readonly downloadAs?: string;
}

/**
 * Streams a file from disk with its media type and length; a missing file is a 404 problem.
 *
 * @example
 * ```ts
 * return file("reports/2026.pdf", { downloadAs: "report.pdf" });
 * ```
 */
export async function file(
  path: string,
  options: FileOptions = {},
): Promise<HttpResult<undefined>> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    return new HttpResult<undefined>({
      kind: "problem",
      status: 404,
      problem: {
        status: 404,
        type: "not-found",
        title: "Not Found",
        detail: "the file does not exist",
      },
    });
  }
  const headers: Record<string, string> = { "content-length": String(info.size) };
  if (options.downloadAs !== undefined) {
    headers["content-disposition"] = contentDisposition(options.downloadAs || basename(path));
  }
  return new HttpResult<undefined>({
    kind: "file",
    status: 200,
    stream: createReadStream(path),
    contentType:
      options.contentType ?? (mime.contentType(basename(path)) || "application/octet-stream"),
    headers,
    location: path,
  });
}
