import type { MetricFamilySnapshot, SeriesSnapshot } from "../metrics/types.ts";

/** The content type of the Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
/** The content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE =
  "application/openmetrics-text; version=1.0.0; charset=utf-8";

type Pairs = readonly (readonly [string, string])[];

export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "+Inf";
  if (n === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(n);
}

/**
 * A bucket bound as OpenMetrics requires for `le` ("Canonical Numbers"): Go's shortest `%g`
 * with `.0` appended when there is neither a decimal point nor an exponent, so 1 is `1.0`,
 * 1e-5 is `1e-05` and 1e6 is `1e+06`. The same bound then always has the same label value.
 */
export function formatCanonical(n: number): string {
  if (!Number.isFinite(n)) return formatNumber(n);
  const [mantissa = "0", exponent = "0"] = n.toExponential().split("e");
  const e = Number(exponent);
  if (e < -4 || e >= 6) {
    // %g switches to exponent form here, with at least two exponent digits.
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const fixed = String(n);
  return fixed.includes(".") ? fixed : `${fixed}.0`;
}

const escapeLabel = (v: string): string =>
  v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function escapeHelp(v: string, openMetrics: boolean): string {
  const s = v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  return openMetrics ? s.replace(/"/g, '\\"') : s;
}

function labelText(labels: Pairs, extra: Pairs, le?: string): string {
  if (labels.length === 0 && extra.length === 0 && le === undefined) return "";
  const parts: string[] = [];
  for (const [k, v] of labels) parts.push(`${k}="${escapeLabel(v)}"`);
  for (const [k, v] of extra) parts.push(`${k}="${escapeLabel(v)}"`);
  if (le !== undefined) parts.push(`le="${le}"`);
  return `{${parts.join(",")}}`;
}

/** Default labels the series does not set itself. */
function extraLabels(series: SeriesSnapshot, defaults: Pairs): Pairs {
  if (defaults.length === 0) return defaults;
  return defaults.filter(([k]) => !series.labels.some(([own]) => own === k));
}

function renderFamily(
  out: string[],
  family: MetricFamilySnapshot,
  defaults: Pairs,
  openMetrics: boolean,
): void {
  const { type } = family;
  // OpenMetrics names a counter family without `_total` and its sample with it.
  let familyName = family.name;
  let sampleName = family.name;
  if (openMetrics && type === "counter") {
    familyName = family.name.endsWith("_total") ? family.name.slice(0, -6) : family.name;
    sampleName = `${familyName}_total`;
  }
  if (openMetrics) {
    out.push(`# TYPE ${familyName} ${type}`);
    out.push(`# HELP ${familyName} ${escapeHelp(family.help, true)}`);
  } else {
    out.push(`# HELP ${familyName} ${escapeHelp(family.help, false)}`);
    out.push(`# TYPE ${familyName} ${type}`);
  }
  for (const series of family.series) {
    const extra = extraLabels(series, defaults);
    const h = series.histogram;
    if (h !== undefined) {
      const le = openMetrics ? formatCanonical : formatNumber;
      for (const b of h.buckets) {
        out.push(
          `${familyName}_bucket${labelText(series.labels, extra, le(b.le))} ${formatNumber(b.count)}`,
        );
      }
      // OpenMetrics: a histogram with a negative bound has no sum (it would not be a counter),
      // and _count appears if and only if _sum does.
      if (openMetrics && h.buckets.some((b) => b.le < 0)) continue;
      const labels = labelText(series.labels, extra);
      out.push(`${familyName}_sum${labels} ${formatNumber(h.sum)}`);
      out.push(`${familyName}_count${labels} ${formatNumber(h.count)}`);
    } else {
      out.push(
        `${sampleName}${labelText(series.labels, extra)} ${formatNumber(series.value ?? 0)}`,
      );
    }
  }
}

/** Renders families in the Prometheus text format 0.0.4 or in OpenMetrics 1.0.0. */
export function renderExposition(
  families: readonly MetricFamilySnapshot[],
  defaults: Pairs,
  openMetrics: boolean,
): string {
  const out: string[] = [];
  for (const family of families) renderFamily(out, family, defaults, openMetrics);
  if (openMetrics) out.push("# EOF");
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/**
 * Whether an `Accept` header prefers OpenMetrics over the text format: the highest-q media
 * range wins, OpenMetrics on a tie (Prometheus itself sends both, OpenMetrics first).
 */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = -1;
  let text = -1;
  for (const range of accept.split(",")) {
    const [type = "", ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    let q = 1;
    for (const p of params) {
      if (p.startsWith("q=")) {
        const parsed = Number(p.slice(2));
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    if (type === "application/openmetrics-text") openMetrics = Math.max(openMetrics, q);
    else if (type === "text/plain" || type === "text/*" || type === "*/*") text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text;
}
