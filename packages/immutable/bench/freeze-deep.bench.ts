import { type BenchLine, compare, type Measurement, saveResults } from "@dext/bench-kit";
import { freezeDeep } from "../src/index.ts";
import { quick, rounds, timeMs } from "./common.ts";

// 2,000 row-shaped records of 5 objects each: 10,000 objects, as a no-tracking ORM read of
// rows with a nested profile would produce.
const ROWS = 2_000;
function graph(): object[] {
  const rows: object[] = [];
  for (let i = 0; i < ROWS; i++) {
    rows.push({
      id: i,
      name: `user${i}`,
      email: `user${i}@example.com`,
      active: i % 3 !== 0,
      score: i * 1.5,
      profile: {
        bio: "hello",
        links: ["https://a.example", "https://b.example"],
        settings: { theme: "dark", page: i },
      },
      tags: [{ tag: "forum" }],
    });
  }
  return rows;
}
const OBJECTS = ROWS * 5 + 1;

/** The baseline: the recursive Object.freeze people write by hand (deep-freeze and friends). */
function freezeRaw<T extends object>(value: T): T {
  Object.freeze(value);
  for (const key of Object.getOwnPropertyNames(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null && !Object.isFrozen(child)) freezeRaw(child);
  }
  return value;
}

/** Times only the freezing: every call freezes a fresh graph built outside the clock. */
function freezeSampler(freeze: (value: object) => unknown): () => Promise<Measurement> {
  return async () => {
    let spent = 0;
    let graphs = 0;
    while (spent < timeMs) {
      const value = graph();
      const start = performance.now();
      freeze(value);
      spent += performance.now() - start;
      graphs++;
    }
    return { opsPerSec: (graphs * 1000) / spent };
  };
}

// Each sample is short and GC pauses land at random, so this comparison takes more rounds.
const lines: BenchLine[] = await compare({
  bench: "freeze-deep/10k-objects",
  rounds: rounds * 2 + 1,
  ours: freezeSampler((value) => freezeDeep(value)),
  baselines: { raw: freezeSampler(freezeRaw) },
});

if (!quick) {
  const file = await saveResults(new URL("..", import.meta.url).pathname, "freeze-deep", lines, {
    unit: `graphs of ${OBJECTS} objects frozen per second`,
    raw: "recursive Object.freeze over Object.getOwnPropertyNames, skipping frozen objects",
  });
  console.log(`saved ${file}`);
}
