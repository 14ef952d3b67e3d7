import zlib from "node:zlib";

type Options = Record<string, unknown> | undefined;

/**
 * zlib for `@fastify/compress` with a flush after every write: a streamed response (NDJSON,
 * server-sent events, a large export) reaches the client chunk by chunk instead of waiting in
 * the compressor's window. A one-buffer body is a single write, so it costs nothing there.
 */
export const flushingZlib: typeof zlib = {
  ...zlib,
  createGzip: (o?: Options) => zlib.createGzip({ ...o, flush: zlib.constants.Z_SYNC_FLUSH }),
  createDeflate: (o?: Options) => zlib.createDeflate({ ...o, flush: zlib.constants.Z_SYNC_FLUSH }),
  createBrotliCompress: (o?: Options) =>
    zlib.createBrotliCompress({ ...o, flush: zlib.constants.BROTLI_OPERATION_FLUSH }),
  // zstd arrived in Node 22.15; older runtimes keep zlib's (absent) one, so it is never offered.
  ...(typeof zlib.createZstdCompress === "function"
    ? {
        createZstdCompress: (o?: Options) =>
          zlib.createZstdCompress({ ...o, flush: zlib.constants.ZSTD_e_flush }),
      }
    : {}),
} as typeof zlib;
