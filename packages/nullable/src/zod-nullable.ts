import { z } from "zod";
import { Nullable } from "./nullable.ts";

/** The schema `zNullable` returns: decodes `T | null | undefined` into `Nullable<T>` and back. */
export type ZodNullable<S extends z.ZodType> = z.ZodCodec<
  z.ZodOptional<z.ZodNullable<S>>,
  z.ZodCustom<Nullable<NonNullable<z.output<S>>>, Nullable<NonNullable<z.output<S>>>>
>;

/**
 * A zod codec for a nullable field: parsing (`schema.parse`, `z.decode`) validates the value
 * with `schema` and yields a `Nullable`, where `null`, `undefined` and a missing key are none;
 * `z.encode` turns the Nullable back into the value or `null`, encoded by `schema`.
 *
 * @example
 * ```ts
 * const User = z.object({ name: z.string(), bio: zNullable(z.string().max(200)) });
 * const user = User.parse({ name: "Ada", bio: null }); // user.bio: Nullable<string>
 * const json = z.encode(User, user); // { name: "Ada", bio: null }
 * ```
 */
export function zNullable<S extends z.ZodType>(schema: S): ZodNullable<S> {
  type T = NonNullable<z.output<S>>;
  return z.codec(
    schema.nullish(),
    z.custom<Nullable<T>>((value) => Nullable.isNullable(value), {
      error: (issue) =>
        `expected a Nullable (Nullable.of, Nullable.none or Nullable.from), received ${issue.input === null ? "null" : typeof issue.input}`,
    }),
    {
      decode: (value) => Nullable.from(value as T | null | undefined),
      encode: (nullable) => nullable.getOrNull() as z.output<S> | null,
    },
  );
}
