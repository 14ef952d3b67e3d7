export { AtomicNullable } from "./atomic-nullable.ts";
export type {
  AtomicInput,
  AtomicKind,
  AtomicNullableOptions,
  AtomicValue,
  WaitAsyncOptions,
  WaitOptions,
} from "./atomic-options.ts";
export { coalesce } from "./coalesce.ts";
export type { ValuesOf } from "./combine.ts";
export type { NullableErrorCode } from "./errors.ts";
export { NullableError } from "./errors.ts";
export { and, not, or } from "./logic.ts";
export type { Equivalence, MatchCases, None, NullableJson, Some } from "./nullable.ts";
export { Nullable } from "./nullable.ts";
export type { Comparable, Comparer, Ordering, TotalOrderOptions } from "./ordering.ts";
export { compare, compareTotal, ge, gt, le, lt } from "./ordering.ts";
export type { ZodNullable } from "./zod-nullable.ts";
export { zNullable } from "./zod-nullable.ts";
