export type { NodeProcess, SpawnNodeOptions } from "./node-process.ts";
export { spawnNode } from "./node-process.ts";
