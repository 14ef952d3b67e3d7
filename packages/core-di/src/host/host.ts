import { z } from "zod";
import { type Config, createConfig } from "../config/config.ts";
import { DiError } from "../errors.ts";
import type { AnyModule } from "../module.ts";
import { ServiceCollection } from "../service-collection.ts";
import type { ServiceProvider } from "../service-provider.ts";
import { type Token, token } from "../token.ts";
import {
  canMove,
  type HostState,
  type HostStateChange,
  type StartupState,
  startupStates,
} from "./host-state.ts";
import { jsonLogger, type Logger, LoggerToken } from "./logger.ts";

/** What a startup task gets: the host, the services, a way to report progress, a stop signal. */
export interface StartupTaskContext {
  readonly host: Host;
  readonly services: ServiceProvider;
  readonly logger: Logger;
  /** Aborted when the host is asked to stop while the task runs. */
  readonly signal: AbortSignal;
  /** Sets `host.detail` (shown by health checks and 503 answers): `"migration 3/7: add_index"`. */
  progress(detail: string): void;
}

/** Work that must finish before the host serves: migrations, seeding, cache warm-up. */
export interface StartupTask {
  readonly name: string;
  run(context: StartupTaskContext): void | Promise<void>;
}

/** What to do when startup fails: stop and exit non-zero, or stay up (503s) for an operator. */
export type StartupFailureMode = "exit" | "maintenance";

export interface HostOptions {
  readonly modules?: readonly AnyModule[];
  /** A loaded config, or plain values (as from code); default empty. */
  readonly config?: Config | Record<string, unknown>;
  /** App-level registrations, after the modules'. */
  readonly services?: (services: ServiceCollection) => void;
  /** Default `exit`; the `host.onStartupFailure` config key overrides it. */
  readonly onStartupFailure?: StartupFailureMode;
  /** Deadline for stopping every module, default 10 s; `host.shutdownTimeoutMs` overrides it. */
  readonly shutdownTimeoutMs?: number;
  /** Used until a module registers one under `LoggerToken`. */
  readonly logger?: Logger;
}

/** Options of {@link Host.run}. */
export interface RunOptions {
  /** Signals that start a graceful stop (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Call `process.exit` with the code at the end (default true). */
  readonly exit?: boolean;
}

/**
 * The application host: builds the services from modules, walks the lifecycle
 * `Starting -> Migrating -> Seeding -> Running -> Stopping -> Stopped` (or `Failed`), and
 * stops modules in reverse order within a deadline.
 */
export interface Host {
  readonly state: HostState;
  /** What the current state is doing, or why the host failed. */
  readonly detail: string | undefined;
  /** The startup error, once the host is `Failed`. */
  readonly failure: unknown;
  readonly services: ServiceProvider;
  readonly config: Config;
  readonly modules: readonly AnyModule[];
  readonly logger: Logger;
  readonly onStartupFailure: StartupFailureMode;
  /** Subscribes to state changes; returns the unsubscribe function. */
  on(event: "state", listener: (change: HostStateChange) => void): () => void;
  /** Resolves once the host reaches `state` (at once if it is there). */
  waitFor(state: HostState): Promise<void>;
  /** Adds work to a startup state; tasks run in the order added. */
  addStartupTask(state: StartupState, task: StartupTask | StartupTask["run"], name?: string): void;
  /** Reports what the current state is doing (`"migration 3/7"`). */
  setDetail(detail: string | undefined): void;
  /** Runs startup; resolves when `Running`, or `Failed` in maintenance mode. */
  start(): Promise<void>;
  /** Stops modules in reverse order and disposes the services; safe to call more than once. */
  stop(reason?: string): Promise<void>;
  /** `start()`, then stop on SIGTERM/SIGINT; resolves (or exits) with the exit code. */
  run(options?: RunOptions): Promise<number>;
}

/** Where modules find the {@link Host} (for its state, e.g. to answer 503 while migrating). */
export const HostToken: Token<Host> = token<Host>("Host");

const hostSection = z
  .object({
    onStartupFailure: z.enum(["exit", "maintenance"]).optional(),
    shutdownTimeoutMs: z.number().int().positive().optional(),
  })
  .strict()
  .optional();

const isConfig = (c: unknown): c is Config =>
  c !== null && typeof c === "object" && typeof (c as Config).section === "function";

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

class TimeoutSignal {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
}

function within<T>(work: Promise<T>, ms: number): Promise<T | TimeoutSignal> {
  if (ms <= 0) return Promise.resolve(new TimeoutSignal(0));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TimeoutSignal>((resolve) => {
    timer = setTimeout(() => resolve(new TimeoutSignal(ms)), ms);
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

class HostImpl implements Host {
  readonly services: ServiceProvider;
  readonly config: Config;
  readonly modules: readonly AnyModule[];
  readonly onStartupFailure: StartupFailureMode;
  readonly #shutdownTimeoutMs: number;
  #logger: Logger;
  #state: HostState = "Starting";
  #detail: string | undefined;
  #failure: unknown;
  readonly #listeners = new Set<(change: HostStateChange) => void>();
  readonly #tasks = new Map<StartupState, StartupTask[]>(startupStates.map((s) => [s, []]));
  readonly #started: AnyModule[] = [];
  readonly #abort = new AbortController();
  #starting: Promise<void> | undefined;
  #startup: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: HostOptions) {
    this.config = isConfig(options.config) ? options.config : createConfig(options.config ?? {});
    const section = this.config.section("host", hostSection);
    this.onStartupFailure = section?.onStartupFailure ?? options.onStartupFailure ?? "exit";
    this.#shutdownTimeoutMs = section?.shutdownTimeoutMs ?? options.shutdownTimeoutMs ?? 10_000;

    const collection = new ServiceCollection();
    for (const m of options.modules ?? []) collection.addModule(m);
    collection.addSingleton(HostToken, { useValue: this });
    options.services?.(collection);
    this.services = collection.build({ config: this.config });
    this.modules = collection.modules;
    this.#logger = (this.services.tryResolve(LoggerToken) ?? options.logger ?? jsonLogger()).child({
      name: "dext.host",
    });
  }

  get state(): HostState {
    return this.#state;
  }
  get detail(): string | undefined {
    return this.#detail;
  }
  get failure(): unknown {
    return this.#failure;
  }
  get logger(): Logger {
    return this.#logger;
  }

  on(_event: "state", listener: (change: HostStateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  waitFor(state: HostState): Promise<void> {
    if (this.#state === state) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on("state", (c) => {
        if (c.to === state) {
          off();
          resolve();
        }
      });
    });
  }

  addStartupTask(state: StartupState, task: StartupTask | StartupTask["run"], name?: string): void {
    const order: readonly HostState[] = ["Starting", "Migrating", "Seeding", "Running"];
    const current = order.indexOf(this.#state);
    if (current === -1 || current > order.indexOf(state)) {
      throw new DiError(
        "HOST_INVALID_STATE",
        `cannot add startup task "${name ?? (typeof task === "function" ? task.name : task.name)}" to ${state}: the host is already ${this.#state}`,
      );
    }
    const t: StartupTask =
      typeof task === "function" ? { name: name ?? (task.name || "task"), run: task } : task;
    this.#tasks.get(state)!.push(t);
  }

  setDetail(detail: string | undefined): void {
    this.#detail = detail;
  }

  #move(to: HostState, detail?: string, error?: unknown): void {
    const from = this.#state;
    if (!canMove(from, to)) {
      throw new DiError("HOST_INVALID_STATE", `the host cannot go from ${from} to ${to}`);
    }
    this.#state = to;
    this.#detail = detail;
    const change: HostStateChange = { from, to, detail, error, at: new Date() };
    this.#logger.info({ from, to, ...(detail ? { detail } : {}) }, `host ${to}`);
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (e) {
        this.#logger.error({ err: e }, "a host state listener threw");
      }
    }
  }

  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    this.#startup = this.#startupSteps();
    try {
      await this.#startup;
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      this.#failure = error;
      const what = this.#detail ? `${this.#detail}: ` : "";
      this.#move("Failed", `${what}${message(error)}`, error);
      this.#logger.error({ err: error, mode: this.onStartupFailure }, "host startup failed");
      if (this.onStartupFailure === "exit") {
        await this.stop("startup failed").catch(() => {});
        throw new DiError(
          "HOST_STARTUP_FAILED",
          `startup failed in ${what || "the host"}${message(error)}`,
          {
            cause: error,
          },
        );
      }
      this.#logger.warn(
        "host stays up in maintenance mode: requests get 503 until it is fixed and restarted",
      );
    }
  }

  /** Module starts and startup tasks; returns early (without error) once a stop was asked. */
  async #startupSteps(): Promise<void> {
    const began = performance.now();
    const stopped = (): boolean => this.#abort.signal.aborted;
    await this.services.start();
    for (const m of this.modules) {
      if (stopped()) return;
      if (m.start) {
        this.#detail = `starting module ${m.name}`;
        await m.start(this);
      }
      this.#started.push(m);
    }
    for (const state of startupStates) {
      if (stopped()) return;
      if (state !== "Starting") this.#move(state);
      for (const task of this.#tasks.get(state)!) {
        if (stopped()) return;
        const t0 = performance.now();
        this.#detail = task.name;
        this.#logger.info({ state, task: task.name }, `${task.name} started`);
        await task.run({
          host: this,
          services: this.services,
          logger: this.#logger.child({ task: task.name }),
          signal: this.#abort.signal,
          progress: (d) => this.setDetail(d),
        });
        this.#logger.info(
          { state, task: task.name, durationMs: Math.round(performance.now() - t0) },
          `${task.name} done`,
        );
      }
    }
    if (stopped()) return;
    this.#move("Running");
    this.#logger.info({ durationMs: Math.round(performance.now() - began) }, "host running");
  }

  stop(reason = "stop requested"): Promise<void> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason: string): Promise<void> {
    const deadline = performance.now() + this.#shutdownTimeoutMs;
    const left = (): number => deadline - performance.now();
    this.#move("Stopping", reason);
    this.#abort.abort(new DiError("HOST_INVALID_STATE", `host stopping: ${reason}`));
    const errors: unknown[] = [];
    let timedOut = false;
    if (this.#startup) {
      // Let the running startup step finish (tasks see the abort signal) before stopping modules.
      const r = await within(
        this.#startup.catch(() => {}),
        left(),
      );
      if (r instanceof TimeoutSignal) {
        timedOut = true;
        errors.push(new Error("startup did not finish before the shutdown deadline"));
      }
    }
    for (const m of [...this.#started].reverse()) {
      if (!m.stop) continue;
      this.#detail = `stopping module ${m.name}`;
      const work = Promise.resolve().then(() => m.stop!(this));
      const r = await within(
        work.then(
          () => undefined,
          (e: unknown) => e ?? new Error("stop rejected"),
        ),
        left(),
      );
      if (r instanceof TimeoutSignal) {
        timedOut = true;
        work.catch(() => {});
        errors.push(
          new Error(
            `module "${m.name}" did not stop within the ${this.#shutdownTimeoutMs} ms shutdown deadline`,
          ),
        );
      } else if (r !== undefined) {
        errors.push(
          new DiError("HOST_STOP_FAILED", `module "${m.name}" failed to stop: ${message(r)}`, {
            cause: r,
          }),
        );
      }
    }
    const disposal = await within(
      this.services.dispose().then(
        () => undefined,
        (e: unknown) => e,
      ),
      Math.max(left(), 1000),
    );
    if (disposal instanceof TimeoutSignal) {
      timedOut = true;
      errors.push(new Error("disposing the services did not finish before the shutdown deadline"));
    } else if (disposal !== undefined) {
      errors.push(disposal);
    }
    this.#move("Stopped", reason);
    if (errors.length > 0) {
      this.#logger.error({ errors: errors.map(message) }, "host stopped with errors");
      throw new DiError(
        timedOut ? "HOST_STOP_TIMEOUT" : "HOST_STOP_FAILED",
        `stopping the host ${timedOut ? "timed out" : "failed"}: ${errors.map(message).join("; ")}`,
        { cause: new AggregateError(errors) },
      );
    }
  }

  async run(options: RunOptions = {}): Promise<number> {
    const signals = options.signals ?? ["SIGTERM", "SIGINT"];
    let signalled = false;
    let resolveStopped!: (code: number) => void;
    const stoppedCode = new Promise<number>((resolve) => {
      resolveStopped = resolve;
    });
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        this.#logger.warn({ signal }, "second signal while stopping: exiting now");
        process.exit(1);
      }
      signalled = true;
      this.#logger.info({ signal }, "signal received: stopping");
      // A host that never got healthy (maintenance mode) exits non-zero even when stopped cleanly.
      this.stop(`signal ${signal}`).then(
        () => resolveStopped(this.#failure === undefined ? 0 : 1),
        () => resolveStopped(1),
      );
    };
    for (const s of signals) process.on(s, onSignal);
    const offStopped = this.on("state", (c) => {
      if (c.to === "Stopped" && !signalled) {
        this.#stopping?.then(
          () => resolveStopped(this.#failure === undefined ? 0 : 1),
          () => resolveStopped(1),
        );
      }
    });
    // A host without a server (a worker) must still stay up until it is told to stop.
    const keepAlive = setInterval(() => {}, 2 ** 30);
    let code: number;
    try {
      await this.start();
      code = await stoppedCode;
    } catch (error) {
      this.#logger.fatal({ err: error }, "host exiting after a failed startup");
      code = 1;
    } finally {
      clearInterval(keepAlive);
      for (const s of signals) process.off(s, onSignal);
      offStopped();
    }
    if (options.exit ?? true) process.exit(code);
    return code;
  }
}

/**
 * Creates the application host: registers the modules, validates config and the service graph
 * (throwing one error that lists every problem), and returns a host in the `Starting` state.
 *
 * @example
 * ```ts
 * const host = createHost({ modules: [telemetry(), orm({ ... }), web({ ... })], config: loadConfig() });
 * host.addStartupTask("Seeding", async ({ services }) => { ... });
 * await host.run(); // SIGTERM stops it gracefully
 * ```
 */
export function createHost(options: HostOptions = {}): Host {
  return new HostImpl(options);
}
