import {
  type BenchLine,
  compare,
  measureRetainedBytes,
  saveResults,
  timeSampler,
} from "@dext/bench-kit";
import { Map as ImmutableJsMap } from "immutable";
import { ImmutableMap } from "../src/index.ts";
import { consume, quick, randomInts, rounds, timeMs, withMemory } from "./common.ts";

const N = 100_000;
const lines: BenchLine[] = [];
const run = async (options: Parameters<typeof compare>[0]) => {
  lines.push(...(await compare({ rounds, ...options })));
};

// Keys are made once, so both sides hash and compare the very same strings.
const order = randomInts(N, N, 1);
const keySets = {
  "string-keys": Array.from({ length: N }, (_, i) => `user:${order[i]}`),
  "int-keys": Array.from({ length: N }, (_, i) => order[i]! * 7919),
};

for (const [kind, keys] of Object.entries(keySets) as [string, (string | number)[]][]) {
  const buildOurs = () => {
    let map = ImmutableMap.empty<string | number, number>();
    for (let i = 0; i < keys.length; i++) map = map.set(keys[i]!, i);
    return map;
  };
  const buildTheirs = () => {
    let map = ImmutableJsMap<string | number, number>();
    for (let i = 0; i < keys.length; i++) map = map.set(keys[i]!, i);
    return map;
  };

  await run({
    bench: `map/set/${kind}`,
    ours: withMemory(
      timeSampler(() => consume(buildOurs()), { timeMs, opsPerCall: N }),
      N,
      buildOurs,
      measureRetainedBytes,
    ),
    baselines: {
      "immutable-js": withMemory(
        timeSampler(() => consume(buildTheirs()), { timeMs, opsPerCall: N }),
        N,
        buildTheirs,
        measureRetainedBytes,
      ),
    },
  });

  const ours = buildOurs();
  const theirs = buildTheirs();
  const lookups = Array.from(randomInts(N, N, 3), (i) => keys[i]!);

  await run({
    bench: `map/get/${kind}`,
    ours: timeSampler(
      () => {
        let sum = 0;
        for (let i = 0; i < lookups.length; i++) sum += ours.get(lookups[i]!)!;
        consume(sum);
      },
      { timeMs, opsPerCall: N },
    ),
    baselines: {
      "immutable-js": timeSampler(
        () => {
          let sum = 0;
          for (let i = 0; i < lookups.length; i++) sum += theirs.get(lookups[i]!)!;
          consume(sum);
        },
        { timeMs, opsPerCall: N },
      ),
    },
  });

  const deletions = Array.from(randomInts(N, N, 5), (i) => keys[i]!);
  await run({
    bench: `map/delete/${kind}`,
    ours: timeSampler(
      () => {
        let map = ours;
        for (let i = 0; i < deletions.length; i++) map = map.delete(deletions[i]!);
        consume(map);
      },
      { timeMs, opsPerCall: N },
    ),
    baselines: {
      "immutable-js": timeSampler(
        () => {
          let map = theirs;
          for (let i = 0; i < deletions.length; i++) map = map.delete(deletions[i]!);
          consume(map);
        },
        { timeMs, opsPerCall: N },
      ),
    },
  });
}

if (!quick) {
  const file = await saveResults(new URL("..", import.meta.url).pathname, "map", lines, {
    immutableJs: "immutable@5 (Map)",
    entries: N,
  });
  console.log(`saved ${file}`);
}
