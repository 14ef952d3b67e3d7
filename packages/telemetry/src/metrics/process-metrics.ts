import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import type { Metrics } from "./metrics.ts";

/** Turns process metrics off again (stops the event-loop monitor and the GC observer). */
export interface ProcessMetrics {
  stop(): void;
}

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

const gcKinds: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

interface State {
  delay: IntervalHistogram | undefined;
  observer: PerformanceObserver | undefined;
  start(): void;
  readonly handle: ProcessMetrics;
}

const states = new WeakMap<Metrics, State>();

/**
 * Adds process metrics with prom-client's names (so existing dashboards work): event-loop
 * delay, heap and memory, GC pauses, CPU time, start time. Values are read at scrape time;
 * between scrapes the only cost is Node's own event-loop sampling and one observer call per GC.
 * Calling it again on the same registry restarts the same instruments.
 *
 * @example
 * ```ts
 * const processMetrics = enableProcessMetrics(metrics);
 * // later
 * processMetrics.stop();
 * ```
 */
export function enableProcessMetrics(
  metrics: Metrics,
  options: { readonly eventLoopResolutionMs?: number } = {},
): ProcessMetrics {
  const existing = states.get(metrics);
  if (existing !== undefined) {
    existing.start();
    return existing.handle;
  }
  const state: State = {
    delay: undefined,
    observer: undefined,
    start() {
      if (state.delay !== undefined) return;
      state.delay = monitorEventLoopDelay({ resolution: options.eventLoopResolutionMs ?? 20 });
      state.delay.enable();
      state.observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const detail = (entry as { detail?: { kind?: number } | null }).detail;
          const kind = detail?.kind ?? -1;
          (byKind.get(kind) ?? other).observe(entry.duration / 1000);
        }
      });
      state.observer.observe({ entryTypes: ["gc"] });
    },
    handle: {
      stop() {
        state.delay?.disable();
        state.delay = undefined;
        state.observer?.disconnect();
        state.observer = undefined;
      },
    },
  };
  const lag = (
    name: string,
    help: string,
    read: (h: IntervalHistogram) => number,
    reset = false,
  ): void => {
    metrics.observableGauge(name, { help }, (r) => {
      const delay = state.delay;
      if (delay === undefined || delay.count === 0) return;
      r.observe(read(delay) / 1e9);
      if (reset) delay.reset();
    });
  };
  lag("nodejs_eventloop_lag_min_seconds", "The minimum recorded event loop delay", (h) => h.min);
  lag("nodejs_eventloop_lag_max_seconds", "The maximum recorded event loop delay", (h) => h.max);
  lag(
    "nodejs_eventloop_lag_mean_seconds",
    "The mean of the recorded event loop delays",
    (h) => h.mean,
  );
  lag(
    "nodejs_eventloop_lag_p50_seconds",
    "The 50th percentile of the recorded event loop delays",
    (h) => h.percentile(50),
  );
  lag(
    "nodejs_eventloop_lag_p90_seconds",
    "The 90th percentile of the recorded event loop delays",
    (h) => h.percentile(90),
  );
  // Registered last, so the window is reset after every other lag gauge has read it.
  lag(
    "nodejs_eventloop_lag_p99_seconds",
    "The 99th percentile of the recorded event loop delays",
    (h) => h.percentile(99),
    true,
  );

  metrics.observableGauge(
    "nodejs_heap_size_total_bytes",
    { help: "Process heap size from Node.js in bytes" },
    (r) => r.observe(process.memoryUsage().heapTotal),
  );
  metrics.observableGauge(
    "nodejs_heap_size_used_bytes",
    { help: "Process heap size used from Node.js in bytes" },
    (r) => r.observe(process.memoryUsage().heapUsed),
  );
  metrics.observableGauge(
    "nodejs_external_memory_bytes",
    { help: "Node.js external memory size in bytes" },
    (r) => r.observe(process.memoryUsage().external),
  );
  metrics.observableGauge(
    "process_resident_memory_bytes",
    { help: "Resident memory size in bytes" },
    (r) => r.observe(process.memoryUsage.rss()),
  );
  metrics.observableGauge(
    "nodejs_heap_space_size_used_bytes",
    { help: "Process heap space size used from Node.js in bytes", labelNames: ["space"] },
    (r) => {
      for (const s of getHeapSpaceStatistics()) {
        r.observe({ space: s.space_name.replace(/_space$/, "") }, s.space_used_size);
      }
    },
  );
  metrics.observableCounter(
    "process_cpu_user_seconds_total",
    { help: "Total user CPU time spent in seconds" },
    (r) => r.observe(process.cpuUsage().user / 1e6),
  );
  metrics.observableCounter(
    "process_cpu_system_seconds_total",
    { help: "Total system CPU time spent in seconds" },
    (r) => r.observe(process.cpuUsage().system / 1e6),
  );
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  metrics.observableGauge(
    "process_start_time_seconds",
    { help: "Start time of the process since unix epoch in seconds" },
    (r) => r.observe(startTime),
  );

  const gc = metrics.histogram("nodejs_gc_duration_seconds", {
    help: "Garbage collection duration by kind, one of major, minor, incremental or weakcb",
    labelNames: ["kind"],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
  });
  const byKind = new Map(
    Object.entries(gcKinds).map(([k, kind]) => [Number(k), gc.labels({ kind })]),
  );
  const other = gc.labels({ kind: "other" });
  states.set(metrics, state);
  state.start();
  return state.handle;
}
