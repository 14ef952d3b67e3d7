import { describe, expect, it } from "vitest";
import { type BenchLine, compare, type Measurement } from "../src/index.ts";

/** A side whose samples come from a fixed list, one per call, and that records its turns. */
function scripted(name: string, samples: Measurement[], turns: string[]) {
  let i = 0;
  return async (): Promise<Measurement> => {
    turns.push(name);
    return samples[i++]!;
  };
}

describe("compare", () => {
  it("prints medians, the ratio, the per-round paired ratio, and paired ratios of chosen extras", async () => {
    const turns: string[] = [];
    const printed: string[] = [];
    // Round 2 runs on a machine twice as slow for both sides: the paired ratio ignores it.
    const ours = scripted(
      "ours",
      [
        { opsPerSec: 100, extra: { p99: 2 } },
        { opsPerSec: 50, extra: { p99: 4 } },
        { opsPerSec: 90, extra: { p99: 3 } },
      ],
      turns,
    );
    const theirs = scripted(
      "theirs",
      [
        { opsPerSec: 110, extra: { p99: 1 } },
        { opsPerSec: 55, extra: { p99: 2 } },
        { opsPerSec: 100, extra: { p99: 2 } },
      ],
      turns,
    );
    const lines: BenchLine[] = await compare({
      bench: "w",
      ours,
      baselines: { theirs },
      rounds: 3,
      warmupRounds: 0,
      pairedExtras: ["p99"],
      print: (line) => printed.push(line),
    });
    expect(turns).toEqual(["ours", "theirs", "theirs", "ours", "ours", "theirs"]);
    const [line] = lines;
    expect(line).toMatchObject({
      bench: "w",
      ours: 90,
      baseline: "theirs",
      baselineOps: 100,
      ratio: 0.9,
      pairedRatio: 0.909,
      p99: 3,
      baseline_p99: 2,
      p99_ratio: 1.5,
      p99_pairedRatio: 2,
    });
    expect(JSON.parse(printed[0]!)).toEqual(line);
    expect(Object.keys(line!).slice(0, 5)).toEqual([
      "bench",
      "ours",
      "baseline",
      "baselineOps",
      "ratio",
    ]);
  });

  it("runs setup and teardown once per side, also when a sample throws", async () => {
    const events: string[] = [];
    const side = (name: string, fail: boolean) => ({
      setup: () => events.push(`setup ${name}`),
      teardown: () => events.push(`teardown ${name}`),
      sample: async (): Promise<Measurement> => {
        if (fail) throw new Error("server answered 500");
        return { opsPerSec: 1 };
      },
    });
    await expect(
      compare({
        bench: "w",
        ours: side("ours", false),
        baselines: { theirs: side("theirs", true) },
        rounds: 1,
        print: () => {},
      }),
    ).rejects.toThrow("server answered 500");
    expect(events).toEqual(["setup ours", "setup theirs", "teardown ours", "teardown theirs"]);
  });
});
