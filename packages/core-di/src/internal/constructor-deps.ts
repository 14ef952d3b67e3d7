import "reflect-metadata";
import type { Dependency } from "../dependency.ts";
import { all, optional } from "../dependency.ts";
import type { Concrete } from "../registration.ts";

type Found =
  | { readonly ok: true; readonly deps: readonly { dep: Dependency; label: string }[] }
  | { readonly ok: false; readonly reason: string };

// tsyringe's @inject/@injectAll write this metadata key; reading it keeps its decorators working.
const TSYRINGE_TOKENS = "injectionTokens";

interface TsyringeParam {
  readonly token: unknown;
  readonly multiple?: boolean;
  readonly isOptional?: boolean;
  readonly transform?: unknown;
}

const label = (i: number): string => `constructor parameter ${i + 1}`;

/**
 * What a class's constructor needs, read once at build time: explicit `deps`, then a
 * `static inject` list, then tsyringe's decorator metadata (`@injectable()` + `@inject()`).
 */
export function constructorDependencies(
  ctor: Concrete<unknown>,
  explicit: readonly Dependency[] | undefined,
): Found {
  const withLabels = (deps: readonly Dependency[]): Found => ({
    ok: true,
    deps: deps.map((dep, i) => ({ dep, label: label(i) })),
  });
  if (explicit) return withLabels(explicit);
  const staticInject = (ctor as { inject?: unknown }).inject;
  if (Array.isArray(staticInject)) return withLabels(staticInject as Dependency[]);

  const paramTypes = Reflect.getMetadata("design:paramtypes", ctor) as unknown[] | undefined;
  const tokens = (Reflect.getOwnMetadata(TSYRINGE_TOKENS, ctor) ?? {}) as Record<string, unknown>;
  if (!paramTypes && Object.keys(tokens).length === 0) {
    if (ctor.length === 0) return { ok: true, deps: [] };
    return {
      ok: false,
      reason: `its constructor takes ${ctor.length} parameter(s) but Dext cannot tell what they are: pass \`deps\`, add \`static inject = [...]\`, or decorate the class with @injectable() (with emitDecoratorMetadata on)`,
    };
  }
  const count = Math.max(paramTypes?.length ?? 0, ...Object.keys(tokens).map((k) => Number(k) + 1));
  const deps: { dep: Dependency; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    const meta = tokens[String(i)] as TsyringeParam | symbol | Function | undefined;
    if (meta !== undefined) {
      if (typeof meta === "object" && meta !== null && "token" in meta) {
        if (meta.transform !== undefined) {
          return {
            ok: false,
            reason: `${label(i)} uses @injectWithTransform, which Dext does not support; use a factory`,
          };
        }
        const key = meta.token as Dependency & (symbol | Function);
        if (typeof key !== "symbol" && typeof key !== "function") {
          return {
            ok: false,
            reason: `${label(i)} is injected by the string token "${String(key)}"; use token<T>() instead`,
          };
        }
        deps.push({
          dep: meta.multiple
            ? all(key as never)
            : meta.isOptional
              ? optional(key as never)
              : (key as never),
          label: label(i),
        });
      } else if (typeof meta === "symbol" || typeof meta === "function") {
        deps.push({ dep: meta as never, label: label(i) });
      } else {
        return {
          ok: false,
          reason: `${label(i)} has an unsupported injection token ${String(meta)}`,
        };
      }
      continue;
    }
    const type = paramTypes?.[i];
    if (
      type === undefined ||
      type === Object ||
      type === Function ||
      type === String ||
      type === Number ||
      type === Boolean ||
      type === Array
    ) {
      const typeName = typeof type === "function" ? type.name : String(type);
      return {
        ok: false,
        reason: `${label(i)} is typed as ${typeName} at runtime (an interface, union or primitive), so it cannot name a service: use @inject(token) or \`deps\``,
      };
    }
    deps.push({ dep: type as never, label: label(i) });
  }
  return { ok: true, deps };
}
