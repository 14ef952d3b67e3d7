export type { BenchLine, CompareOptions, Side } from "./compare.ts";
export { compare, formatLine } from "./compare.ts";
export type { MachineInfo } from "./machine.ts";
export { machine, stealMeter } from "./machine.ts";
export type { HeapSample } from "./memory.ts";
export { measureRetainedBytes } from "./memory.ts";
export { saveResults } from "./results.ts";
export type { Measurement, Sampler } from "./sampler.ts";
export { timeSampler } from "./sampler.ts";
