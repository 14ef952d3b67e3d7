import {
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  type Span,
  type SpanContext,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";
import type { IdGenerator } from "@opentelemetry/sdk-trace";
import type { RateLimitedSampler } from "./rate-limited-sampler.ts";

/**
 * Which tracer started a span, so nested `withSpan` calls keep using that host's tracer. A
 * symbol property on the span rather than a WeakMap: WeakMap entries cost several times
 * more to create and to collect, on every span.
 */
const OWNER = Symbol("@dext/telemetry/tracer");
type OwnedSpan = Span & { [OWNER]?: Tracer };

/** A span that records nothing, handed to `withSpan` callbacks when tracing is off. */
export const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

// The API's no-op provider: what the global proxy delegates to until an SDK registers.
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
let globalCache: { provider: unknown; tracer: Tracer } | undefined;

/** The globally registered tracer, or `undefined` when no SDK is registered globally. */
export function globalTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  if (provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_PROVIDER) {
    return undefined;
  }
  if (globalCache?.provider !== provider) {
    globalCache = { provider, tracer: provider.getTracer("@dext/telemetry") };
  }
  return globalCache.tracer;
}

/** The tracers of the Dext apps running in this process (usually one). */
const live = new Set<Tracer>();

/** Marks an app's tracer as running (or stopped), for spans started outside any span. */
export function setLive(tracer: Tracer, running: boolean): void {
  if (running) live.add(tracer);
  else live.delete(tracer);
}

/**
 * The tracer for a new span in `ctx`: the one that started the active span; else, outside
 * any span, the app's tracer when exactly one app with tracing runs in this process; else
 * the global one; else none.
 */
export function tracerFor(ctx: Context): Tracer | undefined {
  const span = trace.getSpan(ctx);
  const owner = span !== undefined ? (span as OwnedSpan)[OWNER] : undefined;
  if (owner !== undefined) return owner;
  if (live.size === 1) return live.values().next().value;
  return globalTracer();
}

/**
 * The span of a new trace the sampler would drop: what the SDK returns then (a non-recording
 * span with fresh ids and flags NONE), except that the ids are drawn when something first reads
 * them (a log line, a child span, an outgoing `traceparent`). Most such requests never do, and
 * skip the random bytes and their hex encoding.
 */
class UnsampledRootSpan implements Span {
  readonly [OWNER]: Tracer;
  readonly #ids: IdGenerator;
  #context: SpanContext | undefined;

  constructor(ids: IdGenerator, owner: Tracer) {
    this.#ids = ids;
    this[OWNER] = owner;
  }

  spanContext(): SpanContext {
    this.#context ??= {
      traceId: this.#ids.generateTraceId(),
      spanId: this.#ids.generateSpanId(),
      traceFlags: TraceFlags.NONE,
    };
    return this.#context;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}

type ActiveFn<F> = F extends (span: Span) => unknown ? F : never;

/**
 * A tracer that remembers the spans it starts, so `withSpan` can find it from the active
 * span; every Dext-owned tracer (one per host) is wrapped in one.
 */
export class OwningTracer implements Tracer {
  readonly #inner: Tracer;
  readonly #cap: RateLimitedSampler | undefined;
  readonly #ids: IdGenerator | undefined;

  /**
   * `cap` and `ids`: the root sampler's per-second cap and the provider's id generator. While
   * the cap is spent, a new trace's span is made here, exactly as the SDK would make it (an
   * unrecorded span with fresh ids, flags NONE) but without its per-span work (sampler chain,
   * attribute and link copies, its own span metrics).
   */
  constructor(inner: Tracer, cap?: RateLimitedSampler, ids?: IdGenerator) {
    this.#inner = inner;
    this.#cap = cap;
    this.#ids = ids;
  }

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
    const cap = this.#cap;
    if (cap !== undefined && this.#startsTrace(options, ctx) && cap.full())
      return new UnsampledRootSpan(this.#ids!, this);
    const span = this.#inner.startSpan(name, options, ctx);
    (span as OwnedSpan)[OWNER] = this;
    return span;
  }

  /** Whether a span started with these arguments begins a new trace (what the cap governs). */
  #startsTrace(options: SpanOptions | undefined, ctx: Context | undefined): boolean {
    const parent = ctx ?? context.active();
    if (isTracingSuppressed(parent)) return false;
    if (options?.root === true) return true;
    const sc = trace.getSpanContext(parent);
    return sc === undefined || !trace.isSpanContextValid(sc);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> {
    let options: SpanOptions | undefined;
    let parent: Context | undefined;
    let fn: F;
    if (typeof a === "function") fn = a as ActiveFn<F>;
    else if (typeof b === "function") {
      options = a;
      fn = b as ActiveFn<F>;
    } else {
      options = a;
      parent = b;
      fn = c!;
    }
    const ctx = parent ?? context.active();
    const span = this.startSpan(name, options, ctx);
    return context.with(trace.setSpan(ctx, span), fn as never, undefined, span) as ReturnType<F>;
  }
}
