import { type HealthCheck, HealthCheckToken, type Host } from "@dext/core-di";
import type { FastifyInstance } from "fastify";
import { PROBLEM_JSON, problemTypes } from "../problem/problem-details.ts";
import type { ProblemRenderer } from "./problem-renderer.ts";

/** One dependency's answer in `/health/ready`. */
export interface CheckReport {
  readonly name: string;
  readonly status: "pass" | "fail";
  readonly latencyMs: number;
  readonly error?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckReport> {
  const began = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([
      Promise.resolve().then(() => check.check(controller.signal)),
      timeout,
    ]);
    return {
      name: check.name,
      status: "pass",
      latencyMs: Math.round((performance.now() - began) * 100) / 100,
      ...(result?.details ? { details: result.details } : {}),
    };
  } catch (error) {
    return {
      name: check.name,
      status: "fail",
      latencyMs: Math.round((performance.now() - began) * 100) / 100,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

const failures = (reports: readonly CheckReport[]): string[] =>
  reports.filter((r) => r.status === "fail").map((r) => r.name);

/** Registers `/health/live` and `/health/ready`; both bypass the lifecycle gate. */
export function registerHealthRoutes(
  fastify: FastifyInstance,
  host: Host,
  renderer: ProblemRenderer,
  options: { livePath: string; readyPath: string; checkTimeoutMs: number },
  retryAfterSeconds: number,
): void {
  const config = { dextBypassGate: true };
  fastify.get(options.livePath, { config }, async (request, reply) => {
    return reply
      .header("cache-control", "no-store")
      .type("application/json; charset=utf-8")
      .send(JSON.stringify({ status: "live", state: host.state, requestId: request.id }));
  });
  fastify.get(options.readyPath, { config }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    const checks = host.services.disposed ? [] : host.services.resolveAll(HealthCheckToken);
    const reports = await Promise.all(checks.map((c) => runCheck(c, options.checkTimeoutMs)));
    const running = host.state === "Running";
    const passing = reports.every((r) => r.status === "pass");
    if (running && passing) {
      return reply
        .type("application/json; charset=utf-8")
        .send(JSON.stringify({ status: "ready", state: host.state, checks: reports }));
    }
    const failing = failures(reports);
    if (failing.length > 0) {
      request.log.warn(
        { checks: reports.filter((r) => r.status === "fail") },
        `readiness checks failed: ${failing.join(", ")}`,
      );
    }
    // Outside development a failing check says that it failed, not why (messages name hosts).
    const shown = renderer.development
      ? reports
      : reports.map((r) =>
          r.error === undefined ? r : { ...r, error: "failed; see the server log" },
        );
    const problem = renderer.fromInit(
      {
        status: 503,
        type: problemTypes.notReady,
        title: "Not ready",
        detail: !running ? `the host is ${host.state}` : `failing checks: ${failing.join(", ")}`,
        headers: { "retry-after": String(retryAfterSeconds) },
        extensions: { state: host.state, checks: shown },
      },
      request,
    );
    if (problem.headers) reply.headers(problem.headers);
    return reply
      .code(503)
      .type(PROBLEM_JSON)
      .send(JSON.stringify({ ...problem.doc, status: 503 }));
  });
}
