import type { IncomingHttpHeaders } from "node:http";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  createApp,
  type HttpResult,
  ok,
  type PathParams,
  type RequestContext,
  type RouteDefinition,
} from "../src/index.ts";

const app = createApp();

describe("handler input inference", () => {
  it("types params from the schema, with no cast", () => {
    app
      .get("/threads/:id")
      .params(z.object({ id: z.coerce.number() }))
      .handle((ctx, input) => {
        expectTypeOf(ctx).toEqualTypeOf<RequestContext>();
        expectTypeOf(input.params.id).toEqualTypeOf<number>();
        // @ts-expect-error: not declared
        input.params.slug;
        return null;
      });
  });

  it("types params from the path template when there is no schema", () => {
    expectTypeOf<PathParams<"/forums/:forumId/threads/:threadId">>().toEqualTypeOf<{
      forumId: string;
      threadId: string;
    }>();
    expectTypeOf<PathParams<"/files/*">>().toEqualTypeOf<{ "*": string }>();
    expectTypeOf<PathParams<"/a/:id(^\\d+)/b/:opt?">>().toEqualTypeOf<{
      id: string;
      opt: string;
    }>();
    app.get("/users/:userId/posts/:postId").handle((_ctx, { params }) => {
      expectTypeOf(params).toEqualTypeOf<{ userId: string; postId: string }>();
      return params.userId;
    });
  });

  it("types query, headers, body and cookies from their schemas", () => {
    app
      .post("/threads")
      .query(z.object({ page: z.coerce.number().default(1), q: z.string().optional() }))
      .headers(z.object({ "x-tenant": z.string() }))
      .body(z.object({ title: z.string(), tags: z.array(z.string()) }))
      .cookies(z.object({ session: z.string() }))
      .summary("create")
      .response(201)
      .handle((_ctx, { query, headers, body, cookies, params }) => {
        expectTypeOf(query).toEqualTypeOf<{ page: number; q?: string | undefined }>();
        expectTypeOf(headers["x-tenant"]).toEqualTypeOf<string>();
        expectTypeOf(body).toEqualTypeOf<{ title: string; tags: string[] }>();
        expectTypeOf(cookies.session).toEqualTypeOf<string>();
        expectTypeOf(params).toEqualTypeOf<{}>();
        return ok(body);
      });
  });

  it("defaults unvalidated parts to what fastify parsed", () => {
    app.put("/raw").handle((_ctx, input) => {
      expectTypeOf(input.body).toEqualTypeOf<unknown>();
      expectTypeOf(input.headers).toEqualTypeOf<IncomingHttpHeaders>();
      expectTypeOf(input.query).toEqualTypeOf<Record<string, string | string[] | undefined>>();
    });
  });

  it("returns the declaration from handle() and results from helpers", () => {
    const def = app.get("/x").handle(() => 1);
    expectTypeOf(def).toEqualTypeOf<RouteDefinition>();
    expectTypeOf(ok({ a: 1 })).toEqualTypeOf<HttpResult<{ a: number }>>();
  });

  it("rejects what is not a schema", () => {
    // @ts-expect-error: a plain object is not a zod schema
    app.get("/y").params({ id: 1 });
  });
});
