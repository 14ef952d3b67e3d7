import { WebError } from "../errors.ts";
import type { ProblemInit } from "./problem-details.ts";

/**
 * An error that carries an HTTP problem: throw it anywhere in a request (a handler, a service,
 * a middleware) and the client gets exactly that problem+json, never a 500.
 *
 * @example
 * ```ts
 * if (thread.locked) throw new ProblemError({ status: 409, type: "thread-locked", title: "Thread is locked" });
 * ```
 */
export class ProblemError extends WebError {
  override readonly name: string = "ProblemError";
  readonly problem: ProblemInit;

  constructor(problem: ProblemInit, options?: { cause?: unknown }) {
    super("WEB_HTTP_PROBLEM", problem.detail ?? problem.title ?? `HTTP ${problem.status}`, options);
    this.problem = problem;
  }
}
