// Adds `services.addDbContext(...)` to core-di's ServiceCollection, as the issue spells it.
// This module has a side effect (it extends a prototype); package.json lists it in sideEffects.
import { ServiceCollection } from "@dext/core-di";
import type { QueryContext } from "../context/query-context.ts";
import { type AddDbContextOptions, addDbContext, type DbContextClass } from "./add-db-context.ts";

declare module "@dext/core-di" {
  interface ServiceCollection {
    /**
     * Registers a DbContext class (added by @dext/orm; same as `addDbContext(services, ...)`).
     *
     * @example
     * ```ts
     * services.addDbContext(AppDb, { lifetime: "scoped" });
     * ```
     */
    addDbContext<C extends QueryContext>(
      context: DbContextClass<C>,
      options?: AddDbContextOptions,
    ): this;
  }
}

const proto = ServiceCollection.prototype as unknown as Record<string, unknown>;
if (typeof proto.addDbContext !== "function") {
  Object.defineProperty(proto, "addDbContext", {
    configurable: true,
    writable: true,
    value(this: ServiceCollection, context: DbContextClass, options?: AddDbContextOptions) {
      addDbContext(this, context, options);
      return this;
    },
  });
}

/** @internal Importing this module installs the method; the value marks it as loaded. */
export const serviceCollectionExtended: true = true;
