import { readFileSync } from "node:fs";
import os from "node:os";

/** The machine a result was measured on; committed beside every result. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly date: string;
}

export function machine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/**
 * Measures the share of CPU time the hypervisor gave to other guests (`steal` in
 * `/proc/stat`) from now until `stop()`, in percent of all CPU time; `undefined` where
 * `/proc/stat` does not exist. On a shared VM a run with steal above a few percent measures
 * the neighbours as much as the code.
 */
export function stealMeter(): { stop(): number | undefined } {
  const read = (): { steal: number; total: number } | undefined => {
    try {
      const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
      const ticks = line.trim().split(/\s+/).slice(1).map(Number);
      // user nice system idle iowait irq softirq steal guest guest_nice; guests are in user.
      const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
      return { steal: ticks[7] ?? 0, total };
    } catch {
      return undefined;
    }
  };
  const start = read();
  return {
    stop() {
      const end = read();
      if (start === undefined || end === undefined || end.total === start.total) return undefined;
      return Number((((end.steal - start.steal) / (end.total - start.total)) * 100).toFixed(2));
    },
  };
}
