import type { IncomingMessage } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";

type MaybeHttp2 = IncomingMessage & {
  stream?: { session?: { readonly closed: boolean; close(): void } };
};

/**
 * While the host stops: tells the client to take its next request elsewhere once this response
 * is done. HTTP/1.1 gets `Connection: close`; HTTP/2 has no such header (Node drops it with a
 * warning), so its session is closed gracefully instead (GOAWAY: streams in flight finish).
 */
export function closeAfterResponse(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw as MaybeHttp2;
  if (raw.httpVersionMajor !== 2) {
    reply.header("connection", "close");
    return;
  }
  const session = raw.stream?.session;
  if (session !== undefined && !session.closed) session.close();
}
