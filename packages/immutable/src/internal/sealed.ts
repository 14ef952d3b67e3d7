import { ImmutableError } from "../errors.ts";

/** The error every method of a sealed builder throws. */
export function sealedBuilder(kind: "ListBuilder" | "MapBuilder", method: string): ImmutableError {
  const collection = kind === "ListBuilder" ? "list" : "map";
  return new ImmutableError(
    "IMMUTABLE_BUILDER_SEALED",
    `${kind}.${method}: this builder was sealed by build(), which handed its contents to an immutable ${collection}; call toBuilder() on that ${collection} to keep editing`,
  );
}
