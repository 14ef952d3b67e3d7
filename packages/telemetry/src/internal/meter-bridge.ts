import type { Attributes, Meter } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import {
  DataPointType,
  MeterProvider,
  type MetricData,
  MetricReader,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { Metrics } from "../metrics/metrics.ts";
import type { MetricFamilySnapshot, SeriesSnapshot } from "../metrics/types.ts";
import { sanitizeName } from "./names.ts";

/** A pull reader: the SDK aggregates, and every scrape of the registry collects it. */
class ScrapeReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const unitSuffixes: Readonly<Record<string, string>> = {
  s: "seconds",
  ms: "milliseconds",
  By: "bytes",
};

function familyName(metric: MetricData): string {
  let name = sanitizeName(metric.descriptor.name);
  const unit = unitSuffixes[metric.descriptor.unit];
  if (unit !== undefined && !name.endsWith(`_${unit}`)) name = `${name}_${unit}`;
  if (
    metric.dataPointType === DataPointType.SUM &&
    metric.isMonotonic &&
    !name.endsWith("_total")
  ) {
    name = `${name}_total`;
  }
  return name;
}

function labels(attributes: Attributes): [string, string][] {
  return Object.entries(attributes).map(([k, v]) => [
    sanitizeName(k, true),
    typeof v === "string" ? v : Array.isArray(v) ? JSON.stringify(v) : String(v),
  ]);
}

/** Converts what the OpenTelemetry SDK collected into families for the exposition. */
export function toFamilies(resourceMetrics: ResourceMetrics): MetricFamilySnapshot[] {
  const families = new Map<string, MetricFamilySnapshot & { series: SeriesSnapshot[] }>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) continue;
      const name = familyName(metric);
      const type =
        metric.dataPointType === DataPointType.HISTOGRAM
          ? "histogram"
          : metric.dataPointType === DataPointType.SUM && metric.isMonotonic
            ? "counter"
            : "gauge";
      let family = families.get(name);
      if (family === undefined) {
        family = { name, help: metric.descriptor.description || name, type, series: [] };
        families.set(name, family);
      }
      if (family.type !== type) continue;
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const p of metric.dataPoints) {
          const { boundaries, counts } = p.value.buckets;
          let running = 0;
          const buckets = [...boundaries, Number.POSITIVE_INFINITY].map((le, i) => {
            running += counts[i] ?? 0;
            return { le, count: running };
          });
          family.series.push({
            labels: labels(p.attributes),
            histogram: { buckets, sum: p.value.sum ?? 0, count: p.value.count },
          });
        }
      } else {
        for (const p of metric.dataPoints) {
          family.series.push({ labels: labels(p.attributes), value: p.value });
        }
      }
    }
  }
  return [...families.values()];
}

export interface MeterBridge {
  readonly meter: Meter;
  readonly provider: MeterProvider;
  /** Removes the bridge from the registry and shuts the SDK meter provider down. */
  shutdown(): Promise<void>;
}

/**
 * An OpenTelemetry `Meter` whose instruments appear in the registry's exposition, so code
 * written against the OpenTelemetry metrics API is scraped with everything else.
 */
export function createMeterBridge(
  metrics: Metrics,
  resource: Resource,
  maxCardinality: number,
): MeterBridge {
  const reader = new ScrapeReader({ cardinalitySelector: () => maxCardinality });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const detach = metrics.addCollector(async () => {
    const { resourceMetrics } = await reader.collect();
    return toFamilies(resourceMetrics);
  });
  return {
    meter: provider.getMeter("@dext/telemetry"),
    provider,
    shutdown() {
      detach();
      return provider.shutdown();
    },
  };
}
