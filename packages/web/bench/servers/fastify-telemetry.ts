// Bare fastify with the same logic and the same telemetry written by hand: a SERVER span per
// request and the HTTP metrics from @dext/telemetry. The `fastify` peer of the `get-user`
// workloads, whose route runs with telemetry on. The span rides on a declared request property
// (`decorateRequest`), the fastest place fastify offers.
import { createTelemetry } from "@dext/telemetry";
import { context, type Span, SpanKind, trace } from "@opentelemetry/api";
import type { FastifyRequest } from "fastify";
import Fastify from "fastify";
import { announce, DiscardingSpanExporter, UserParams, UserService } from "./shared.ts";

const t = createTelemetry({
  serviceName: "bench",
  logging: { level: "warn" },
  tracing: {
    spanExporter: new DiscardingSpanExporter() as never,
    ...(process.env.ALL_SPANS === "1" ? { tracesPerSecond: "unlimited" as const } : {}),
    // TRACES_PER_SECOND=n: another cap (the instruction count runs under valgrind use 1).
    ...(process.env.TRACES_PER_SECOND
      ? { tracesPerSecond: Number(process.env.TRACES_PER_SECOND) }
      : {}),
  },
});
const spanOf = (request: FastifyRequest) => (request as unknown as { span: Span }).span;

const app = Fastify({ logger: false });
app.decorateRequest("span", null);
app.addHook("onRequest", (request, _reply, done) => {
  const route = request.routeOptions.url ?? "";
  (request as unknown as { span: Span }).span = t.tracer.startSpan(`${request.method} ${route}`, {
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": request.method, "http.route": route },
  });
  done();
});
app.addHook("onResponse", (request, reply, done) => {
  const labels = {
    method: request.method,
    route: request.routeOptions.url ?? "",
    status: String(reply.statusCode),
  };
  t.http.requestsTotal.inc(labels);
  t.http.requestDuration.observe(labels, reply.elapsedTime / 1000);
  const span = spanOf(request);
  span.setAttribute("http.response.status_code", reply.statusCode);
  span.end();
  done();
});
app.get("/users/:id", async (request, reply) => {
  return context.with(trace.setSpan(context.active(), spanOf(request)), () => {
    const parsed = UserParams.safeParse(request.params);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues });
    return new UserService().find(parsed.data.id);
  });
});
await app.listen({ port: 0, host: "127.0.0.1" });
announce((app.server.address() as { port: number }).port);
for (const s of ["SIGTERM", "SIGINT"] as const)
  process.on(s, () => app.close().then(() => process.exit(0)));
