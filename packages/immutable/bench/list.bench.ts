import {
  type BenchLine,
  compare,
  measureRetainedBytes,
  saveResults,
  timeSampler,
} from "@dext/bench-kit";
import { List } from "immutable";
import { ImmutableList } from "../src/index.ts";
import { consume, quick, randomInts, rounds, timeMs, withMemory } from "./common.ts";

const N = 1_000_000;
const lines: BenchLine[] = [];
const run = async (options: Parameters<typeof compare>[0]) => {
  lines.push(...(await compare({ rounds, ...options })));
};

function pushOurs(n: number): ImmutableList<number> {
  let list = ImmutableList.empty<number>();
  for (let i = 0; i < n; i++) list = list.push(i);
  return list;
}
function pushTheirs(n: number): List<number> {
  let list = List<number>();
  for (let i = 0; i < n; i++) list = list.push(i);
  return list;
}

await run({
  bench: "list/push-1m",
  ours: withMemory(
    timeSampler(() => consume(pushOurs(N)), { timeMs, opsPerCall: N }),
    N,
    () => pushOurs(N),
    measureRetainedBytes,
  ),
  baselines: {
    "immutable-js": withMemory(
      timeSampler(() => consume(pushTheirs(N)), { timeMs, opsPerCall: N }),
      N,
      () => pushTheirs(N),
      measureRetainedBytes,
    ),
  },
});

await run({
  bench: "list/push-1m-builder",
  ours: timeSampler(
    () => {
      const builder = ImmutableList.builder<number>();
      for (let i = 0; i < N; i++) builder.push(i);
      consume(builder.build());
    },
    { timeMs, opsPerCall: N },
  ),
  baselines: {
    "immutable-js": timeSampler(
      () =>
        consume(
          List<number>().withMutations((list) => {
            for (let i = 0; i < N; i++) list.push(i);
          }),
        ),
      { timeMs, opsPerCall: N },
    ),
  },
});

const ours = ImmutableList.from(Array.from({ length: N }, (_, i) => i));
const theirs = List(Array.from({ length: N }, (_, i) => i));
const indices = randomInts(N, N, 42);

await run({
  bench: "list/get-random",
  ours: timeSampler(
    () => {
      let sum = 0;
      for (let i = 0; i < indices.length; i++) sum += ours.get(indices[i]!)!;
      consume(sum);
    },
    { timeMs, opsPerCall: N },
  ),
  baselines: {
    "immutable-js": timeSampler(
      () => {
        let sum = 0;
        for (let i = 0; i < indices.length; i++) sum += theirs.get(indices[i]!)!;
        consume(sum);
      },
      { timeMs, opsPerCall: N },
    ),
  },
});

const SETS = 100_000;
await run({
  bench: "list/set-random",
  ours: timeSampler(
    () => {
      let list = ours;
      for (let i = 0; i < SETS; i++) list = list.set(indices[i]!, -i);
      consume(list);
    },
    { timeMs, opsPerCall: SETS },
  ),
  baselines: {
    "immutable-js": timeSampler(
      () => {
        let list = theirs;
        for (let i = 0; i < SETS; i++) list = list.set(indices[i]!, -i);
        consume(list);
      },
      { timeMs, opsPerCall: SETS },
    ),
  },
});

await run({
  bench: "list/iterate",
  ours: timeSampler(
    () => {
      let sum = 0;
      for (const value of ours) sum += value;
      consume(sum);
    },
    { timeMs, opsPerCall: N },
  ),
  baselines: {
    "immutable-js": timeSampler(
      () => {
        let sum = 0;
        for (const value of theirs) sum += value;
        consume(sum);
      },
      { timeMs, opsPerCall: N },
    ),
  },
});

const SLICES = 10_000;
const bounds = randomInts(2 * SLICES, N, 7);
await run({
  bench: "list/slice",
  ours: timeSampler(
    () => {
      for (let i = 0; i < SLICES; i++) {
        const a = bounds[2 * i]!;
        const b = bounds[2 * i + 1]!;
        consume(ours.slice(Math.min(a, b), Math.max(a, b) + 1));
      }
    },
    { timeMs, opsPerCall: SLICES },
  ),
  baselines: {
    "immutable-js": timeSampler(
      () => {
        for (let i = 0; i < SLICES; i++) {
          const a = bounds[2 * i]!;
          const b = bounds[2 * i + 1]!;
          consume(theirs.slice(Math.min(a, b), Math.max(a, b) + 1));
        }
      },
      { timeMs, opsPerCall: SLICES },
    ),
  },
});

if (!quick) {
  const file = await saveResults(new URL("..", import.meta.url).pathname, "list", lines, {
    immutableJs: "immutable@5 (List)",
    elements: N,
  });
  console.log(`saved ${file}`);
}
