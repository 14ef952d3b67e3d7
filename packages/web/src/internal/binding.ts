import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ProblemFieldError } from "../problem/problem-details.ts";
import type { InputPart, RouteInput, Schema } from "../routing/route-types.ts";

type CookieRequest = FastifyRequest & {
  cookies?: Record<string, string | undefined> | null;
  server: FastifyRequest["server"] & { parseCookie?: (header: string) => Record<string, string> };
};

/** The request's cookies, parsed on first use (the cookie plugin runs without a hook). */
export function cookiesOf(request: FastifyRequest): Record<string, string | undefined> {
  const r = request as CookieRequest;
  if (r.cookies) return r.cookies;
  const header = request.headers.cookie;
  r.cookies = header && r.server.parseCookie ? r.server.parseCookie(header) : {};
  return r.cookies;
}

/** A request whose parts failed validation: every failing field. */
export class BindErrors {
  readonly errors: readonly ProblemFieldError[];
  constructor(errors: readonly ProblemFieldError[]) {
    this.errors = errors;
  }
}

/**
 * A bound request's input: each part validated by its schema, else as fastify parsed it. The
 * cookies are parsed when read, so a route that neither binds nor reads them never parses the
 * `Cookie` header.
 */
class BoundInput implements RouteInput<unknown, unknown, unknown, unknown, unknown> {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
  readonly #request: FastifyRequest;
  #cookies: unknown;

  constructor(request: FastifyRequest) {
    this.params = request.params;
    this.query = request.query;
    this.headers = request.headers;
    this.body = request.body;
    this.#request = request;
    this.#cookies = undefined;
  }

  get cookies(): unknown {
    if (this.#cookies === undefined) this.#cookies = cookiesOf(this.#request);
    return this.#cookies;
  }

  set cookies(value: unknown) {
    this.#cookies = value;
  }

  set(part: InputPart, value: unknown): void {
    switch (part) {
      case "params":
        this.params = value;
        break;
      case "query":
        this.query = value;
        break;
      case "headers":
        this.headers = value;
        break;
      case "body":
        this.body = value;
        break;
      case "cookies":
        this.#cookies = value;
        break;
    }
  }

  /** The parts as a plain object (what `JSON.stringify`, spreading and tests see). */
  toJSON(): RouteInput<unknown, unknown, unknown, unknown, unknown> {
    return {
      params: this.params,
      query: this.query,
      headers: this.headers,
      body: this.body,
      cookies: this.cookies,
    };
  }
}

/** The outcome of binding a request: the typed input, or every failing field. */
export type BindResult = RouteInput<unknown, unknown, unknown, unknown, unknown> | BindErrors;

const escapePointer = (segment: PropertyKey): string =>
  String(segment).replaceAll("~", "~0").replaceAll("/", "~1");

/** An RFC 6901 pointer to a failing value: `/body/items/0/name`. */
export function pointer(part: InputPart, path: readonly PropertyKey[]): string {
  let out = `/${part}`;
  for (const segment of path) out += `/${escapePointer(segment)}`;
  return out;
}

function raw(part: InputPart, request: FastifyRequest): unknown {
  switch (part) {
    case "params":
      return request.params;
    case "query":
      return request.query;
    case "headers":
      return request.headers;
    case "body":
      return request.body;
    case "cookies":
      return cookiesOf(request);
  }
}

const parts: readonly InputPart[] = ["params", "query", "headers", "cookies", "body"];

type Parsed = z.ZodSafeParseResult<unknown>;

function issuesOf(part: InputPart, result: Parsed, into: ProblemFieldError[]): void {
  if (result.success) return;
  for (const issue of result.error.issues) {
    into.push({ pointer: pointer(part, issue.path), detail: issue.message, code: issue.code });
  }
}

/**
 * Validates each part that has a schema; parts without one pass through as fastify parsed
 * them. Returns a promise only when a schema has async refinements.
 */
export function bind(
  schemas: Readonly<Partial<Record<InputPart, Schema>>>,
  present: readonly InputPart[],
  request: FastifyRequest,
): BindResult | Promise<BindResult> {
  const input = new BoundInput(request);
  let errors: ProblemFieldError[] | undefined;
  for (const part of present) {
    let result: Parsed;
    try {
      result = z.safeParse(schemas[part]!, raw(part, request));
    } catch (error) {
      if (error instanceof z.core.$ZodAsyncError) return bindAsync(schemas, present, request);
      throw error;
    }
    if (result.success) input.set(part, result.data);
    else {
      errors ??= [];
      issuesOf(part, result, errors);
    }
  }
  return errors ? new BindErrors(errors) : input;
}

async function bindAsync(
  schemas: Readonly<Partial<Record<InputPart, Schema>>>,
  present: readonly InputPart[],
  request: FastifyRequest,
): Promise<BindResult> {
  const input = new BoundInput(request);
  const errors: ProblemFieldError[] = [];
  for (const part of present) {
    const result = await z.safeParseAsync(schemas[part]!, raw(part, request));
    if (result.success) input.set(part, result.data);
    else issuesOf(part, result, errors);
  }
  return errors.length > 0 ? new BindErrors(errors) : input;
}

/** The parts with a schema, in the order they are validated. */
export function presentParts(schemas: Readonly<Partial<Record<InputPart, Schema>>>): InputPart[] {
  return parts.filter((p) => schemas[p] !== undefined);
}
