import type { MetricFamilySnapshot, MetricsCollector } from "../metrics/types.ts";
import type { Collectable } from "./instrument.ts";

/**
 * Reads every instrument and collector for one scrape. Observable callbacks and collectors
 * run concurrently and first, so refusals and failures they cause show in this same scrape;
 * a failing one is reported through `failed` and left out, never failing the scrape.
 */
export async function collectFamilies(
  instruments: ReadonlyMap<string, Collectable>,
  collectors: ReadonlySet<MetricsCollector>,
  failed: (metric: string, error: unknown) => void,
): Promise<MetricFamilySnapshot[]> {
  const observables = [...instruments].filter(([, i]) => i.kind.startsWith("observable"));
  const [observed, extra] = await Promise.all([
    Promise.allSettled(observables.map(([, i]) => Promise.resolve().then(() => i.collect()))),
    Promise.allSettled([...collectors].map((c) => Promise.resolve().then(() => c()))),
  ]);
  const byName = new Map<string, MetricFamilySnapshot>();
  observed.forEach((result, i) => {
    const name = observables[i]![0];
    if (result.status === "fulfilled") byName.set(name, result.value);
    else failed(name, result.reason);
  });
  const families: MetricFamilySnapshot[] = [];
  for (const [name, instrument] of instruments) {
    if (instrument.kind.startsWith("observable")) {
      const family = byName.get(name);
      if (family !== undefined) families.push(family);
    } else {
      families.push(instrument.collect() as MetricFamilySnapshot);
    }
  }
  // A collector's family never replaces a registered instrument of the same name.
  const taken = new Set(families.map((f) => f.name));
  for (const result of extra) {
    if (result.status === "rejected") {
      failed("<collector>", result.reason);
      continue;
    }
    for (const family of result.value) {
      if (!taken.has(family.name)) {
        taken.add(family.name);
        families.push(family);
      }
    }
  }
  return families;
}
