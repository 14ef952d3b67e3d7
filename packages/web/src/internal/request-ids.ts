import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** How request ids are made (`requestIds` option). */
export type RequestIdSource = "sequential" | "uuid" | ((request: IncomingMessage) => string);

/**
 * A request id maker. `sequential` (the default) is a random per-process prefix and a counter
 * (`4f1c9e0a7b2d-1k`): unique across processes and restarts, and several times cheaper than a
 * UUID, but it shows how many requests the process has served; `uuid` is a random UUID v4.
 */
export function requestIdMaker(source: RequestIdSource): (request: IncomingMessage) => string {
  if (typeof source === "function") return source;
  if (source === "uuid") return () => randomUUID();
  // 48 random bits per process: two processes share a prefix with probability 2^-48 per pair.
  const prefix = `${randomBytes(6).toString("hex")}-`;
  let next = 0;
  return () => prefix + (++next).toString(36);
}
