import "reflect-metadata";
import {
  type DependencyContainer,
  container as globalContainer,
  type InjectionToken,
} from "tsyringe";
import type { Resolver, RootState } from "./resolver.ts";

const bridges = new WeakMap<
  RootState,
  { root: DependencyContainer; scopes: WeakMap<DependencyContainer, Resolver> }
>();

/**
 * A tsyringe container that resolves the same instances, with the same lifetimes, as
 * `resolver`: every plan node is registered as a factory bound to the scope the tsyringe
 * container belongs to. Built on first use, so scopes that never ask pay nothing.
 */
export function tsyringeContainerFor(resolver: Resolver): DependencyContainer {
  const state = resolver.state;
  let bridge = bridges.get(state);
  if (bridge === undefined) {
    const root = globalContainer.createChildContainer();
    const scopes = new WeakMap<DependencyContainer, Resolver>();
    scopes.set(root, state.root);
    for (const node of state.plan.nodes) {
      root.register(node.key as InjectionToken<unknown>, {
        useFactory: (c) => {
          const owner = scopes.get(c) ?? state.root;
          owner.assertUsable();
          return owner.get(node);
        },
      });
    }
    bridge = { root, scopes };
    bridges.set(state, bridge);
  }
  if (resolver.isRoot) return bridge.root;
  const child = bridge.root.createChildContainer();
  bridge.scopes.set(child, resolver);
  return child;
}
