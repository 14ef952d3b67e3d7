// Our side: createApp, a zod-validated route, a scoped service from DI; telemetry on unless
// TELEMETRY=0, the lifecycle gate on unless GATE=0. Security headers are off unless
// SECURITY_HEADERS=1, so the response is the same bytes the baselines send.
import { createConfig, jsonLogger, token } from "@dext/core-di";
import { telemetry } from "@dext/telemetry";
import { createApp } from "../../src/index.ts";
import { announce, DiscardingSpanExporter, UserParams, UserService } from "./shared.ts";

const withTelemetry = process.env.TELEMETRY !== "0";
const Users = token<UserService>("UserService");

const app = createApp({
  modules: withTelemetry
    ? [
        telemetry({
          serviceName: "bench",
          logging: { level: "warn" },
          tracing: {
            spanExporter: new DiscardingSpanExporter() as never,
            // ALL_SPANS=1: record every trace (production defaults keep at most 100 per second).
            ...(process.env.ALL_SPANS === "1" ? { tracesPerSecond: "unlimited" as const } : {}),
            // TRACES_PER_SECOND=n: another cap (the instruction count runs under valgrind use 1).
            ...(process.env.TRACES_PER_SECOND
              ? { tracesPerSecond: Number(process.env.TRACES_PER_SECOND) }
              : {}),
          },
        }),
      ]
    : [],
  logger: jsonLogger({ level: "warn" }),
  config: createConfig({}, { env: "production" }),
  services: (s) => s.addScoped(Users, { useFactory: () => new UserService() }),
  web: {
    port: 0,
    host: "127.0.0.1",
    lifecycleGate: process.env.GATE !== "0",
    ...(process.env.SECURITY_HEADERS === "1" ? {} : { securityHeaders: false }),
  },
});

app
  .get("/users/:id")
  .params(UserParams)
  .handle((ctx, { params }) => ctx.resolve(Users).find(params.id));

const url = await app.listen();
announce(Number(new URL(url).port));
await app.run({ exit: true });
