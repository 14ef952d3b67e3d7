import type { FastifyReply, FastifyRequest } from "fastify";
import { problemTypes } from "../problem/problem-details.ts";
import { HttpResult, type PageInfo } from "../results/http-result.ts";
import type { FormatterNegotiator } from "./negotiate.ts";
import type { ProblemRenderer } from "./problem-renderer.ts";
import type { SendOwn } from "./route-hooks.ts";

/** What sending needs from the app. */
export interface SendEnv {
  readonly renderer: ProblemRenderer;
  readonly negotiator: FormatterNegotiator;
  readonly notAcceptable: "problem" | "fallback";
  /** Sends a body Dext formatted itself (skipping fastify's onSend chain when it can). */
  readonly sendOwn: SendOwn;
}

function pageLinks(url: string, info: PageInfo): string {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const search = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
  const pages = Math.max(1, Math.ceil(info.total / info.size));
  const link = (n: number, rel: string): string => {
    search.set("page", String(n));
    search.set("size", String(info.size));
    return `<${path}?${search.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, "first")];
  if (info.page > 1) links.push(link(Math.min(info.page - 1, pages), "prev"));
  if (info.page < pages) links.push(link(info.page + 1, "next"));
  links.push(link(pages, "last"));
  return links.join(", ");
}

/**
 * Sends data in the negotiated format: a handler's plain return value (status 200), or a data
 * result's body.
 */
export function sendData(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: unknown,
  pageInfo: PageInfo | undefined,
  env: SendEnv,
): FastifyReply {
  const negotiator = env.negotiator;
  let formatter = negotiator.pick(request.headers.accept);
  if (negotiator.formatters.length > 1) reply.header("vary", "accept");
  if (formatter === null) {
    if (env.notAcceptable === "problem") {
      return env.renderer.send(
        reply,
        env.renderer.fromInit(
          {
            status: 406,
            type: problemTypes.notAcceptable,
            detail: `none of the media types in Accept can be produced; available: ${negotiator.formatters
              .map((f) => f.mediaType)
              .join(", ")}`,
            extensions: { available: negotiator.formatters.map((f) => f.mediaType) },
          },
          request,
        ),
      );
    }
    formatter = negotiator.fallback;
  }
  if (pageInfo) {
    reply.header("link", pageLinks(request.url, pageInfo));
    reply.header("x-total-count", String(pageInfo.total));
  }
  reply.code(status).type(formatter.contentType ?? formatter.mediaType);
  return env.sendOwn(request, reply, formatter.format(body));
}

/** Sends a handler's result: negotiated data, an empty body, a redirect, a problem or a stream. */
export function sendResult(
  request: FastifyRequest,
  reply: FastifyReply,
  result: HttpResult,
  env: SendEnv,
): FastifyReply {
  const headers = result.headers;
  for (const name in headers) reply.header(name, headers[name]);
  switch (result.kind) {
    case "data":
      if (result.body === undefined) return reply.code(result.status).send();
      return sendData(request, reply, result.status, result.body, result.pageInfo, env);
    case "content":
      return reply.code(result.status).type(result.contentType!).send(result.body);
    case "empty":
      return reply.code(result.status).send();
    case "redirect":
      return reply.redirect(result.location!, result.status);
    case "problem":
      return env.renderer.send(reply, env.renderer.fromInit(result.problem!, request));
    case "stream":
    case "file":
      return reply.code(result.status).type(result.contentType!).send(result.stream);
  }
}

/** A handler returned nothing: 204, unless it sent through the raw reply itself. */
export class NoResult extends HttpResult<undefined> {
  constructor() {
    super({ kind: "empty", status: 204 });
  }
}

/** Normalises what a handler or middleware returned. */
export function toResult(value: unknown): HttpResult {
  if (value instanceof HttpResult) return value;
  if (value === undefined) return new NoResult();
  return new HttpResult({ kind: "data", status: 200, body: value });
}
