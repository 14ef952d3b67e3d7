// Nullable chain (map -> bind -> getOrElse) over 1M values against the same steps written
// with hand-written null checks (`raw`) and with Effect's Option (`effect-option`).
//
// Two more lines separate what the chain costs from what its callbacks cost. V8 (Node 24)
// allocates an arrow function written inside a loop on every iteration, even when it inlines the
// call, while `raw` has no function to allocate: `raw-same-callbacks` is `raw` calling the same two
// arrows the chain is given, created per value, the ceiling for any callback API. The second
// comparison creates the callbacks once, outside the loop, for the chain and for its peers.
import { compare, saveResults, timeSampler } from "@dext/bench-kit";
import { Nullable } from "@dext/nullable";
import { Option } from "effect";

const SIZE = 1_000_000;
// `pnpm bench` runs this file twice: NODE_ENV=production (instances not frozen, what a deployed
// app runs) and NODE_ENV=development (every instance frozen), saving one result file each.
const mode = process.env.NODE_ENV === "production" ? "production" : "development";
// Every fifth value missing, as a nullable column might be; the bind step drops a third more.
const values: (number | null)[] = Array.from({ length: SIZE }, (_, i) => (i % 5 === 0 ? null : i));

function nullableChain(): number {
  let sum = 0;
  for (let i = 0; i < SIZE; i++) {
    sum += Nullable.from(values[i])
      .map((x) => x * 2)
      .bind((x) => (x % 3 === 0 ? Nullable.none<number>() : Nullable.of(x + 1)))
      .getOrElse(0);
  }
  return sum;
}

function rawChecks(): number {
  let sum = 0;
  for (let i = 0; i < SIZE; i++) {
    const v = values[i];
    const doubled = v === null || v === undefined ? null : v * 2;
    const next = doubled === null ? null : doubled % 3 === 0 ? null : doubled + 1;
    sum += next ?? 0;
  }
  return sum;
}

// The hand-written checks calling the chain's two callbacks, created per value as the chain's are.
function rawSameCallbacks(): number {
  let sum = 0;
  for (let i = 0; i < SIZE; i++) {
    const double = (x: number) => x * 2;
    const next = (x: number) => (x % 3 === 0 ? null : x + 1);
    const v = values[i];
    const doubled = v === null || v === undefined ? null : double(v);
    const result = doubled === null ? null : next(doubled);
    sum += result ?? 0;
  }
  return sum;
}

const double = (x: number) => x * 2;
const nextNullable = (x: number) => (x % 3 === 0 ? Nullable.none<number>() : Nullable.of(x + 1));
const nextOption = (x: number) => (x % 3 === 0 ? Option.none<number>() : Option.some(x + 1));
const zero = () => 0;

function nullableChainCallbacksOnce(): number {
  let sum = 0;
  for (let i = 0; i < SIZE; i++) {
    sum += Nullable.from(values[i]).map(double).bind(nextNullable).getOrElse(0);
  }
  return sum;
}

function effectChainCallbacksOnce(): number {
  let sum = 0;
  for (let i = 0; i < SIZE; i++) {
    sum += Option.getOrElse(
      Option.flatMap(Option.map(Option.fromNullishOr(values[i]), double), nextOption),
      zero,
    );
  }
  return sum;
}

function effectChain(): number {
  let sum = 0;
  for (let i = 0; i < SIZE; i++) {
    sum += Option.getOrElse(
      Option.flatMap(
        Option.map(Option.fromNullishOr(values[i]), (x) => x * 2),
        (x) => (x % 3 === 0 ? Option.none<number>() : Option.some(x + 1)),
      ),
      () => 0,
    );
  }
  return sum;
}

const expected = rawChecks();
for (const [name, run] of [
  ["nullable", nullableChain],
  ["effect-option", effectChain],
  ["raw-same-callbacks", rawSameCallbacks],
  ["nullable-callbacks-once", nullableChainCallbacksOnce],
  ["effect-option-callbacks-once", effectChainCallbacksOnce],
] as const) {
  if (run() !== expected) throw new Error(`${name} computed a different sum than the raw checks`);
}

let sink = 0;
const sampler = (run: () => number) =>
  timeSampler(
    () => {
      sink += run();
    },
    { timeMs: 300, opsPerCall: SIZE },
  );

const lines = await compare({
  bench: `chain-map-bind-getOrElse-1m-${mode}`,
  ours: sampler(nullableChain),
  baselines: {
    raw: sampler(rawChecks),
    "raw-same-callbacks": sampler(rawSameCallbacks),
    "effect-option": sampler(effectChain),
  },
  rounds: 7,
  warmupRounds: 2,
});
lines.push(
  ...(await compare({
    bench: `chain-map-bind-getOrElse-1m-callbacks-once-${mode}`,
    ours: sampler(nullableChainCallbacksOnce),
    baselines: { raw: sampler(rawChecks), "effect-option": sampler(effectChainCallbacksOnce) },
    rounds: 7,
    warmupRounds: 2,
  })),
);
if (sink === 0) console.error("unexpected zero sum");

const file = await saveResults(
  new URL("..", import.meta.url).pathname,
  mode === "production" ? "chain" : "chain-development",
  lines,
  {
    workload:
      "1M numbers, every fifth null: Nullable.from(v).map(x => x * 2).bind(x => x % 3 === 0 ? none : of(x + 1)).getOrElse(0), summed",
    target: "ratio >= 0.5 against raw",
    lines:
      "the first bench passes arrow functions written inside the loop (allocated per value by V8); raw-same-callbacks is raw calling the same per-value arrows; the callbacks-once bench creates the callbacks once for the chain and for effect-option",
    nodeEnv: mode,
  },
);
console.error(`saved ${file}`);
