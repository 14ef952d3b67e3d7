import { Nullable } from "./nullable.ts";

/**
 * `??` over several values: the first that is present, as a Nullable. Arguments may be plain
 * values, `null`, `undefined` or Nullables (a Nullable counts when it is some). Arguments are
 * evaluated eagerly; use `orElse(() => ...)` for a lazy fallback.
 *
 * @example
 * ```ts
 * coalesce(Nullable.none<string>(), null, "guest", "admin"); // Nullable.of("guest")
 * coalesce(user.nickname, user.name).getOrElse("anonymous");
 * ```
 */
export function coalesce<T extends {}>(
  ...values: readonly (Nullable<T> | T | null | undefined)[]
): Nullable<T> {
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (Nullable.isNullable(value)) {
      if (value.value !== undefined) return value as Nullable<T>;
      continue;
    }
    return Nullable.of(value as T);
  }
  return Nullable.none();
}
