type Simplify<T> = { [K in keyof T]: T[K] } & {};

// `:id(^\\d+)` and `:id?` name the parameter `id`.
type ParamName<S extends string> = S extends `${infer N}(${string}`
  ? N
  : S extends `${infer N}?`
    ? N
    : S extends `${infer N}-${string}`
      ? N
      : S extends `${infer N}.${string}`
        ? N
        : S;

type Collect<P extends string> = P extends `${string}:${infer Seg}/${infer Rest}`
  ? { [K in ParamName<Seg>]: string } & Collect<`/${Rest}`>
  : P extends `${string}:${infer Seg}`
    ? { [K in ParamName<Seg>]: string }
    : P extends `${string}*`
      ? { "*": string }
      : {};

/**
 * The params a path template declares, as strings: `PathParams<"/threads/:id">` is
 * `{ id: string }`. A `.params(schema)` replaces it with the schema's output.
 *
 * @example
 * ```ts
 * type P = PathParams<"/forums/:forumId/threads/:id">; // { forumId: string; id: string }
 * ```
 */
export type PathParams<P extends string> = Simplify<Collect<P>>;
