// A registered symbol rather than `instanceof`: two installed copies of the package (an app and
// the ORM pinning different versions) still recognise each other's values.
export const nullableBrand: unique symbol = Symbol.for("@dext/nullable");

export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom");
