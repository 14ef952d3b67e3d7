// A strict OpenMetrics 1.0 text parser for the tests. No maintained OpenMetrics parser exists
// on npm (parse-prometheus-text-format reads only the 0.0.4 text format and folds labelled
// histograms; the reference parsers are Go's and Python's), so this one follows the spec
// (https://prometheus.io/docs/specs/om/open_metrics_spec/) line by line: the ABNF of the text
// format, then the rules the prose adds (family grouping, metadata, suffixes per type, label
// sets, histogram buckets, canonical `le` values). It throws on the first violation, naming the
// line, so a test that parses an exposition proves it is valid OpenMetrics.

export type OpenMetricsType =
  | "counter"
  | "gauge"
  | "histogram"
  | "gaugehistogram"
  | "stateset"
  | "info"
  | "summary"
  | "unknown";

export interface OpenMetricsSample {
  readonly name: string;
  /** Label pairs in exposition order, values unescaped. */
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
  readonly line: number;
}

export interface OpenMetricsFamily {
  readonly name: string;
  readonly type: OpenMetricsType;
  readonly help: string | undefined;
  readonly unit: string | undefined;
  readonly samples: OpenMetricsSample[];
}

/** An exposition that is not valid OpenMetrics 1.0; `line` is 1-based. */
export class OpenMetricsSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string, text: string) {
    super(`line ${line}: ${message}: ${JSON.stringify(text)}`);
    this.line = line;
  }
}

const TYPES: readonly OpenMetricsType[] = [
  "counter",
  "gauge",
  "histogram",
  "gaugehistogram",
  "stateset",
  "info",
  "summary",
  "unknown",
];
const SUFFIXES: Readonly<Record<OpenMetricsType, readonly string[]>> = {
  counter: ["_total", "_created"],
  gauge: [""],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
  stateset: [""],
  info: ["_info"],
  summary: ["", "_count", "_sum", "_created"],
  unknown: [""],
};
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const REAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?(?:e[+-]?[0-9]+)?|[0-9]*\.[0-9]+(?:e[+-]?[0-9]+)?)$/i;
const SPECIAL = /^(?:[+-]?(?:inf|infinity)|nan)$/i;

/** Parses `number` of the ABNF; undefined when the text is not one. */
export function parseNumber(text: string): number | undefined {
  if (REAL.test(text)) return Number(text);
  if (!SPECIAL.test(text)) return undefined;
  if (/nan/i.test(text)) return Number.NaN;
  return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** The canonical rendering of an `le` value: Go's shortest %g, `.0` added to bare integers. */
export function canonicalNumber(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return "+Inf";
  if (n === Number.NEGATIVE_INFINITY) return "-Inf";
  const [mantissa = "0", exponent = "0"] = n.toExponential().split("e");
  const e = Number(exponent);
  if (e < -4 || e >= 6)
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  const fixed = String(n);
  return fixed.includes(".") ? fixed : `${fixed}.0`;
}

/** Reads an escaped-string up to (not including) `end` or the end of text; returns [value, rest]. */
function readEscaped(text: string, end: string | undefined): [string, string] {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === end) return [out, text.slice(i)];
    if (c === '"') throw new Error("unescaped double quote");
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = text[i + 1];
    // BS normal-char is in the ABNF, but exposers SHOULD NOT use it; ours must not.
    if (next === "n") out += "\n";
    else if (next === '"' || next === "\\") out += next;
    else throw new Error(`undefined escape sequence \\${next ?? ""}`);
    i++;
  }
  if (end !== undefined) throw new Error(`missing closing ${end}`);
  return [out, ""];
}

function readLabels(text: string): [[string, string][], string] {
  const labels: [string, string][] = [];
  let rest = text.slice(1);
  if (rest.startsWith("}")) return [labels, rest.slice(1)];
  for (;;) {
    const name = LABEL_NAME.exec(rest)?.[0];
    if (name === undefined) throw new Error("bad label name");
    if (name.startsWith("_"))
      throw new Error(`label name ${name} is reserved (leading underscore)`);
    if (labels.some(([k]) => k === name)) throw new Error(`label ${name} repeated`);
    rest = rest.slice(name.length);
    if (!rest.startsWith('="')) throw new Error(`expected =" after label ${name}`);
    const [value, after] = readEscaped(rest.slice(2), '"');
    labels.push([name, value]);
    rest = after.slice(1);
    if (rest.startsWith("}")) return [labels, rest.slice(1)];
    if (!rest.startsWith(",")) throw new Error("expected , or } between labels");
    rest = rest.slice(1);
  }
}

function parseSample(text: string, line: number): OpenMetricsSample {
  const name = METRIC_NAME.exec(text)?.[0];
  if (name === undefined) throw new Error("bad metric name");
  let rest = text.slice(name.length);
  let labels: [string, string][] = [];
  if (rest.startsWith("{")) [labels, rest] = readLabels(rest);
  if (!rest.startsWith(" ")) throw new Error("expected one space before the value");
  // number [SP timestamp] [SP HASH SP labels SP number [SP timestamp]]
  const [valueText = "", ...more] = rest.slice(1).split(" # ")[0]!.split(" ");
  const value = parseNumber(valueText);
  if (value === undefined) throw new Error(`bad number ${valueText}`);
  if (more.length > 1 || (more.length === 1 && !REAL.test(more[0]!))) {
    throw new Error("bad timestamp");
  }
  const exemplar = rest.indexOf(" # ");
  if (exemplar !== -1) {
    const [exLabels, after] = readLabels(rest.slice(exemplar + 3));
    const [exValue = "", exTime, ...extra] = after.slice(1).split(" ");
    const size = exLabels.reduce((n, [k, v]) => n + [...k].length + [...v].length, 0);
    if (!after.startsWith(" ") || parseNumber(exValue) === undefined || extra.length > 0)
      throw new Error("bad exemplar");
    if (exTime !== undefined && !REAL.test(exTime)) throw new Error("bad exemplar timestamp");
    if (size > 128) throw new Error("exemplar labels longer than 128 characters");
  }
  return { name, labels, value, line };
}

/** Parses an OpenMetrics 1.0 text exposition, throwing OpenMetricsSyntaxError on any violation. */
export function parseOpenMetrics(text: string): OpenMetricsFamily[] {
  if (text.includes("\r")) throw new OpenMetricsSyntaxError(0, "carriage return", "\\r");
  if (text.startsWith("\uFEFF")) throw new OpenMetricsSyntaxError(1, "byte order mark", "");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop(); // the optional LF after # EOF
  if (lines.at(-1) !== "# EOF") {
    throw new OpenMetricsSyntaxError(
      lines.length,
      "the exposition must end with # EOF",
      text.slice(-40),
    );
  }
  const families: OpenMetricsFamily[] = [];
  let family: (OpenMetricsFamily & { metadata: Set<string> }) | undefined;
  const open = (name: string, line: number, raw: string) => {
    if (families.some((f) => f.name === name)) {
      throw new OpenMetricsSyntaxError(
        line,
        `family ${name} appears twice (families must not be interleaved)`,
        raw,
      );
    }
    if (name.startsWith("_")) {
      throw new OpenMetricsSyntaxError(
        line,
        `family name ${name} is reserved (leading underscore)`,
        raw,
      );
    }
    family = {
      name,
      type: "unknown",
      help: undefined,
      unit: undefined,
      samples: [],
      metadata: new Set(),
    };
    families.push(family);
    return family;
  };
  for (let i = 0; i < lines.length - 1; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    const fail = (message: string): never => {
      throw new OpenMetricsSyntaxError(line, message, raw);
    };
    if (raw.startsWith("#")) {
      const meta = /^# (TYPE|HELP|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(raw);
      if (!meta) fail("a line starting with # must be # TYPE, # HELP, # UNIT or the final # EOF");
      const [, kind, name, value] = meta as unknown as [string, string, string, string];
      const f = family?.name === name ? family : open(name, line, raw);
      if (f.samples.length > 0) fail(`metadata for ${name} after its samples`);
      if (f.metadata.has(kind)) fail(`second # ${kind} for ${name}`);
      f.metadata.add(kind);
      if (kind === "TYPE") {
        if (!TYPES.includes(value as OpenMetricsType)) fail(`unknown type ${value}`);
        (f as { type: OpenMetricsType }).type = value as OpenMetricsType;
      } else if (kind === "HELP") {
        try {
          (f as { help: string }).help = readEscaped(value, undefined)[0];
        } catch (e) {
          fail(`HELP: ${(e as Error).message}`);
        }
      } else {
        if (!/^[a-zA-Z0-9_:]*$/.test(value)) fail(`bad unit ${value}`);
        if (value !== "" && !name.endsWith(`_${value}`))
          fail(`family ${name} must end with _${value}, its unit`);
        (f as { unit: string }).unit = value;
      }
      continue;
    }
    let sample: OpenMetricsSample;
    try {
      sample = parseSample(raw, line);
    } catch (e) {
      return fail((e as Error).message);
    }
    const belongs = (f: OpenMetricsFamily | undefined): f is OpenMetricsFamily =>
      f !== undefined && SUFFIXES[f.type].some((s) => sample.name === `${f.name}${s}`);
    const f = belongs(family) ? family : open(sample.name, line, raw);
    f.samples.push(sample);
  }
  for (const f of families) checkFamily(f, lines);
  checkNoSuffixClash(families);
  return families.map(({ name, type, help, unit, samples }) => ({
    name,
    type,
    help,
    unit,
    samples,
  }));
}

const key = (labels: readonly (readonly [string, string])[], drop?: string): string =>
  JSON.stringify(labels.filter(([k]) => k !== drop).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The rules the prose adds to the grammar, per family. */
function checkFamily(f: OpenMetricsFamily, lines: readonly string[]): void {
  const fail = (s: OpenMetricsSample, message: string): never => {
    throw new OpenMetricsSyntaxError(
      s.line,
      `${f.name} (${f.type}): ${message}`,
      lines[s.line - 1]!,
    );
  };
  if ((f.type === "info" || f.type === "stateset") && f.unit) {
    throw new OpenMetricsSyntaxError(0, `${f.type} ${f.name} must have no unit`, f.name);
  }
  // Metrics (label sets) must not be interleaved: once another label set starts, a finished
  // one never comes back. Each sample name appears once per label set.
  const finished = new Set<string>();
  const seen = new Set<string>();
  let current: string | undefined;
  for (const s of f.samples) {
    const metric = key(
      s.labels,
      f.type === "histogram" || f.type === "gaugehistogram"
        ? "le"
        : f.type === "summary"
          ? "quantile"
          : undefined,
    );
    if (metric !== current) {
      if (finished.has(metric)) fail(s, "samples of one label set are interleaved with another's");
      if (current !== undefined) finished.add(current);
      current = metric;
    }
    const sampleKey = `${s.name} ${key(s.labels)}`;
    if (seen.has(sampleKey)) fail(s, "the same sample appears twice");
    seen.add(sampleKey);
    if (
      f.type === "counter" &&
      s.name.endsWith("_total") &&
      (Number.isNaN(s.value) || s.value < 0)
    ) {
      fail(s, "a counter total must be a non-negative number");
    }
    if (f.type === "info" && s.value !== 1) fail(s, "an info sample must be 1");
    if (f.type === "stateset" && s.value !== 0 && s.value !== 1) fail(s, "a state must be 0 or 1");
  }
  if (f.type === "counter") {
    const totals = new Set(
      f.samples.filter((s) => s.name === `${f.name}_total`).map((s) => key(s.labels)),
    );
    for (const s of f.samples)
      if (!totals.has(key(s.labels))) fail(s, "a counter metric needs a _total sample");
  }
  if (f.type === "histogram" || f.type === "gaugehistogram") checkHistograms(f, fail);
}

function checkHistograms(
  f: OpenMetricsFamily,
  fail: (s: OpenMetricsSample, message: string) => never,
): void {
  const [countSuffix, sumSuffix] =
    f.type === "histogram" ? ["_count", "_sum"] : ["_gcount", "_gsum"];
  const metrics = new Map<string, OpenMetricsSample[]>();
  for (const s of f.samples) {
    const k = key(s.labels, "le");
    metrics.set(k, [...(metrics.get(k) ?? []), s]);
  }
  for (const samples of metrics.values()) {
    const first = samples[0]!;
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
    let previous: [number, number] | undefined;
    for (const b of buckets) {
      const le = b.labels.find(([k]) => k === "le")?.[1];
      if (le === undefined) fail(b, "a bucket needs an le label");
      const bound = parseNumber(le!);
      if (bound === undefined || Number.isNaN(bound)) fail(b, `le ${le} is not a number`);
      if (le !== canonicalNumber(bound!))
        fail(b, `le="${le}" is not canonical (expected "${canonicalNumber(bound!)}")`);
      if (!Number.isInteger(b.value) || b.value < 0)
        fail(b, "a bucket count must be a non-negative integer");
      if (previous && bound! <= previous[0])
        fail(b, "buckets must be sorted by increasing le, without repeats");
      if (previous && b.value < previous[1]) fail(b, "buckets must be cumulative");
      previous = [bound!, b.value];
    }
    if (!previous || previous[0] !== Number.POSITIVE_INFINITY)
      fail(first, "a histogram needs a +Inf bucket");
    for (const s of samples) {
      if (s.name !== `${f.name}_bucket` && s.labels.some(([k]) => k === "le"))
        fail(s, "only buckets carry le");
    }
    const count = samples.find((s) => s.name === `${f.name}${countSuffix}`);
    const sum = samples.find((s) => s.name === `${f.name}${sumSuffix}`);
    if ((count === undefined) !== (sum === undefined))
      fail(first, `${countSuffix} appears if and only if ${sumSuffix} does`);
    if (count !== undefined && count.value !== previous![1])
      fail(count, `${countSuffix} must equal the +Inf bucket`);
    if (sum !== undefined && f.type === "histogram") {
      if (Number.isNaN(sum.value) || sum.value < 0)
        fail(sum, "a histogram sum must be a non-negative number");
      if (buckets.some((b) => Number(b.labels.find(([k]) => k === "le")![1]) < 0))
        fail(sum, "a histogram with negative buckets must have no sum");
    }
  }
}

/** No family may be named so that its samples could be another family's (foo_created vs counter foo). */
function checkNoSuffixClash(families: readonly OpenMetricsFamily[]): void {
  const owner = new Map<string, string>();
  for (const f of families) {
    for (const suffix of SUFFIXES[f.type]) {
      const sampleName = `${f.name}${suffix}`;
      const other = owner.get(sampleName);
      if (other !== undefined && other !== f.name) {
        throw new OpenMetricsSyntaxError(
          0,
          `families ${other} and ${f.name} could both have samples named ${sampleName}`,
          sampleName,
        );
      }
      owner.set(sampleName, f.name);
    }
  }
}
