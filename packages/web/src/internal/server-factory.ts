import { randomUUID } from "node:crypto";
import { createServer, type Server, STATUS_CODES } from "node:http";
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from "node:http2";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { SecureContextOptions } from "node:tls";
import type { Logger } from "@dext/core-di";
import type { FastifyServerFactory } from "fastify";
import { problemTypes } from "../problem/problem-details.ts";
import type { ProblemRenderer } from "./problem-renderer.ts";

/** What the node server is created with. */
export interface ServerSettings {
  readonly maxHeaderSize: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly tls: SecureContextOptions | undefined;
  readonly http2: boolean;
}

const kSessions = Symbol("dext.http2Sessions");

type Http2Server = Http2SecureServer & {
  [kSessions]?: Set<ServerHttp2Session>;
  closeHttp2Sessions?: () => void;
  closeIdleConnections?: () => void;
};

/**
 * The HTTP/2 server (with HTTP/1.1 over ALPN). HTTP/1.1 clients on it are served by Node's
 * HTTP/1 code, which reads its limits from the server's properties; HTTP/2 has its own: the
 * header list size (enforced per stream: a larger one is reset with ENHANCE_YOUR_CALM) and an
 * idle session timeout.
 */
function http2Server(
  settings: ServerSettings,
  common: Record<string, number>,
  handler: (req: any, res: any) => void,
): Server {
  const server = createSecureServer(
    {
      ...settings.tls,
      allowHTTP1: true,
      settings: { maxHeaderListSize: settings.maxHeaderSize },
    },
    handler,
  ) as Http2Server;
  Object.assign(server, common);
  const sessions = new Set<ServerHttp2Session>();
  server[kSessions] = sessions;
  server.on("session", (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    // An idle session closes (GOAWAY: open streams still finish), as idle keep-alive sockets do.
    if (settings.keepAliveTimeoutMs > 0) {
      session.setTimeout(settings.keepAliveTimeoutMs, () => session.close());
    }
  });
  // fastify calls these on close; Node before 24 does not close sessions in server.close().
  server.closeHttp2Sessions = () => {
    for (const session of sessions) session.close();
  };
  if (typeof server.closeIdleConnections !== "function") server.closeIdleConnections = () => {};
  return server as unknown as Server;
}

/** At the drain deadline: closes every connection, HTTP/2 sessions included, with requests on them. */
export function closeAllConnections(server: Server): void {
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  for (const session of (server as unknown as Http2Server)[kSessions] ?? []) session.destroy();
}

/** Creates the HTTP, HTTPS or HTTP/2 server fastify runs on, with our limits and timeouts. */
export function serverFactory(settings: ServerSettings): FastifyServerFactory {
  return ((handler: (req: any, res: any) => void) => {
    const headersTimeout = Math.min(
      settings.headersTimeoutMs,
      settings.requestTimeoutMs || Infinity,
    );
    const common = {
      maxHeaderSize: settings.maxHeaderSize,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      headersTimeout,
      // Node checks those timeouts every 30 s by default, so a 408 could come 30 s late.
      connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(headersTimeout / 4))),
    };
    if (settings.tls && settings.http2) return http2Server(settings, common, handler);
    const server = settings.tls
      ? (createHttpsServer({ ...settings.tls, ...common }, handler) as unknown as Server)
      : createServer(common, handler);
    server.keepAliveTimeout = settings.keepAliveTimeoutMs;
    server.requestTimeout = settings.requestTimeoutMs;
    server.headersTimeout = common.headersTimeout;
    return server;
  }) as unknown as FastifyServerFactory;
}

// The request line, when the packet the parser failed on starts with one (origin-form only).
const requestLine = /^[A-Z]{3,10} (\/[^\s?]{0,2047})(?:\?\S*)? HTTP\/1\.[01]\r?\n/;

/** The request path of a rejected request, when the packet the parser failed on holds it. */
function pathFromPacket(packet: unknown): string | undefined {
  if (!Buffer.isBuffer(packet)) return undefined;
  return requestLine.exec(packet.toString("latin1", 0, Math.min(packet.length, 2100)))?.[1];
}

/**
 * Answers errors the HTTP parser raises before a request exists (oversized headers, garbage,
 * timeouts) with problem+json, then closes the connection. Each answer gets a request id that
 * is also on the log line, and the path as `instance` when the request line is at hand (it is
 * in the failing packet for a header flood sent at once; never for a 408, whose request line
 * the parser keeps to itself).
 */
export function clientErrorHandler(renderer: ProblemRenderer, logger: Logger) {
  return (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    let status = 400;
    let type: string = problemTypes.badRequest;
    let detail = "the request could not be parsed as HTTP";
    if (error.code === "HPE_HEADER_OVERFLOW") {
      status = 431;
      type = problemTypes.headersTooLarge;
      detail = "the request headers are larger than the server accepts";
    } else if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      status = 408;
      type = problemTypes.requestTimeout;
      detail = "the request did not arrive in time";
    }
    const requestId = randomUUID();
    const instance = pathFromPacket(error.rawPacket);
    logger.info(
      {
        reqId: requestId,
        statusCode: status,
        code: error.code,
        remoteAddress: socket.remoteAddress,
        ...(instance !== undefined ? { url: instance } : {}),
      },
      "request rejected by the HTTP parser",
    );
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      type: renderer.typeUri(type),
      title: STATUS_CODES[status],
      status,
      detail,
      ...(instance !== undefined ? { instance } : {}),
      requestId,
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
