import type { Measurement, Sampler } from "./sampler.ts";

/** A side of a comparison: how to take one measurement, and how to set up and tear down. */
export interface Side {
  readonly sample: Sampler;
  readonly setup?: () => unknown;
  readonly teardown?: () => unknown;
}

export interface CompareOptions {
  /** Workload name, with the database when one is used (`pk-lookup/sqlite`). */
  readonly bench: string;
  readonly ours: Side | Sampler;
  /** Peers by lower-case kebab name (`tsyringe`, `immutable-js`, `raw`, `fastify`). */
  readonly baselines: Readonly<Record<string, Side | Sampler>>;
  /** Alternating rounds; each round measures every side once, in a rotating order. */
  readonly rounds?: number;
  /** Unmeasured rounds first, so JIT warm-up does not count. */
  readonly warmupRounds?: number;
  /**
   * Extra fields (from `Measurement.extra`) whose ratio is also taken round by round, printed as
   * `<name>_pairedRatio` (ours / theirs, the median of the per-round ratios), like `pairedRatio`.
   */
  readonly pairedExtras?: readonly string[];
  /** Printed one JSON line per comparison; defaults to stdout. */
  readonly print?: (line: string) => void;
}

/** The JSON line every Dext benchmark prints per comparison; higher ops/s is better. */
export interface BenchLine {
  readonly bench: string;
  readonly ours: number;
  readonly baseline: string;
  readonly baselineOps: number;
  readonly ratio: number;
  readonly [extra: string]: string | number;
}

const toSide = (s: Side | Sampler): Side => (typeof s === "function" ? { sample: s } : s);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianExtra(samples: readonly Measurement[]): Record<string, number> {
  const keys = new Set(samples.flatMap((s) => Object.keys(s.extra ?? {})));
  const out: Record<string, number> = {};
  for (const key of keys) {
    out[key] = round(median(samples.map((s) => s.extra?.[key] ?? Number.NaN)));
  }
  return out;
}

const round = (n: number): number => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toFixed(3)));

/** Serialises a bench line with the fixed keys first, as the convention asks. */
export function formatLine(line: BenchLine): string {
  const { bench, ours, baseline, baselineOps, ratio, ...extra } = line;
  return JSON.stringify({ bench, ours, baseline, baselineOps, ratio, ...extra });
}

/**
 * Measures `ours` and every baseline alternately (round-robin, rotating who goes first) and
 * prints one JSON line per baseline with the median ops/s of each side and their ratio, and
 * `pairedRatio`: the median of the per-round ratios, steadier on a machine whose speed drifts.
 */
export async function compare(options: CompareOptions): Promise<BenchLine[]> {
  const rounds = options.rounds ?? 7;
  const warmup = options.warmupRounds ?? 1;
  const names = ["ours", ...Object.keys(options.baselines)];
  const sides = new Map<string, Side>([["ours", toSide(options.ours)]]);
  for (const [name, side] of Object.entries(options.baselines)) sides.set(name, toSide(side));
  const samples = new Map<string, Measurement[]>(names.map((n) => [n, []]));

  for (const side of sides.values()) await side.setup?.();
  try {
    for (let r = 0; r < warmup + rounds; r++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length]!;
        const m = await sides.get(name)!.sample();
        if (r >= warmup) samples.get(name)!.push(m);
      }
    }
  } finally {
    for (const side of sides.values()) await side.teardown?.();
  }

  const oursSamples = samples.get("ours")!;
  const ours = median(oursSamples.map((s) => s.opsPerSec));
  const oursExtra = medianExtra(oursSamples);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const lines: BenchLine[] = [];
  for (const name of names.slice(1)) {
    const theirs = samples.get(name)!;
    const baselineOps = median(theirs.map((s) => s.opsPerSec));
    const theirExtra = medianExtra(theirs);
    const extra: Record<string, number> = {};
    for (const [k, v] of Object.entries(oursExtra)) {
      extra[k] = v;
      const t = theirExtra[k];
      if (t !== undefined) {
        extra[`baseline_${k}`] = t;
        if (t !== 0) extra[`${k}_ratio`] = round(v / t);
      }
    }
    // The same ratio taken round by round (both sides measured in the same round) before the
    // median: a machine that slows down for a minute shifts both sides of a round alike.
    const paired = median(oursSamples.map((s, i) => s.opsPerSec / theirs[i]!.opsPerSec));
    for (const k of options.pairedExtras ?? []) {
      const perRound = oursSamples
        .map((s, i) => (s.extra?.[k] ?? Number.NaN) / (theirs[i]!.extra?.[k] ?? Number.NaN))
        .filter(Number.isFinite);
      if (perRound.length > 0) extra[`${k}_pairedRatio`] = round(median(perRound));
    }
    const line: BenchLine = {
      bench: options.bench,
      ours: round(ours),
      baseline: name,
      baselineOps: round(baselineOps),
      ratio: Number((ours / baselineOps).toFixed(3)),
      pairedRatio: Number(paired.toFixed(3)),
      ...extra,
    };
    lines.push(line);
    print(formatLine(line));
  }
  return lines;
}
