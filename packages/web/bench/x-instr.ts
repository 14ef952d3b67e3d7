import { createTelemetry } from "@dext/telemetry";
import { telemetryInstrumentation } from "../src/internal/telemetry-instrumentation.ts";
const ratio = Number(process.argv[2] ?? 0);
const t = createTelemetry({ serviceName: "b", logging: { level: "warn" }, tracing: { spanExporter: { export: (_s: unknown, d: (r: { code: 0 }) => void) => d({ code: 0 }), shutdown: async () => {} } as never, sampleRatio: ratio } });
const inst = telemetryInstrumentation(t);
const request = { id: "abc", method: "GET", url: "/users/42", headers: {} } as never;
const N = 300_000;
const parts = process.argv[3] ?? "begin,run,end";
for (let r = 0; r < 6; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const st = inst.begin(request, "/users/:id");
    if (parts.includes("run")) inst.run(st, () => 1);
    if (parts.includes("end")) inst.end(st, { method: "GET", route: "/users/:id", status: 200, durationMs: 1.2, aborted: false, error: undefined });
    if (i % 2000 === 0) await new Promise((res) => setImmediate(res));
  }
  console.log(parts, "ratio", ratio, (Number(process.hrtime.bigint() - t0) / N / 1000).toFixed(3), "us");
}
process.exit(0);
