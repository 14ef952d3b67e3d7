export type { TestCertificate } from "./certificates.ts";
export { createTestCertificate, toPkcs12 } from "./certificates.ts";
export type { NodeProcess, SpawnNodeOptions } from "./node-process.ts";
export { spawnNode } from "./node-process.ts";
export type { TestDatabase } from "./postgres.ts";
export { createTestDatabase, postgresAdminUrl } from "./postgres.ts";
export type { TempSqliteFile } from "./sqlite.ts";
export { createTempSqliteFile } from "./sqlite.ts";

/** The Redis every Dext machine runs for tests (override with DEXT_TEST_REDIS_URL). */
export const redisTestUrl: string = process.env.DEXT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
