import { keyName, type ServiceKey } from "../token.ts";
import { depNodes, type PlanNode, SCOPED, SINGLETON, TRANSIENT } from "./plan.ts";

/** One thing wrong with the service graph; `build()` collects all of them into one error. */
export type GraphProblem =
  | {
      readonly kind: "missing";
      readonly node: PlanNode;
      readonly key: ServiceKey;
      readonly label: string;
    }
  | { readonly kind: "unresolvable"; readonly node: PlanNode; readonly detail: string }
  | { readonly kind: "cycle"; readonly path: readonly PlanNode[] }
  | { readonly kind: "captive"; readonly path: readonly PlanNode[] };

/** Every dependency cycle, each reported once (`A -> B -> A`), however many nodes reach it. */
export function findCycles(nodes: readonly PlanNode[]): GraphProblem[] {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Uint8Array(nodes.length);
  const stack: PlanNode[] = [];
  const seen = new Set<string>();
  const problems: GraphProblem[] = [];

  const visit = (node: PlanNode): void => {
    color[node.id] = GREY;
    stack.push(node);
    for (const next of depNodes(node)) {
      if (color[next.id] === GREY) {
        const cycle = stack.slice(stack.indexOf(next));
        // Rotate to start at the lowest id so the same cycle found twice has one signature.
        const start = cycle.reduce((m, n, i) => (n.id < cycle[m]!.id ? i : m), 0);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const signature = rotated.map((n) => n.id).join(">");
        if (!seen.has(signature)) {
          seen.add(signature);
          problems.push({ kind: "cycle", path: [...rotated, rotated[0]!] });
        }
      } else if (color[next.id] === WHITE) {
        visit(next);
      }
    }
    stack.pop();
    color[node.id] = BLACK;
  };
  for (const node of nodes) if (color[node.id] === WHITE) visit(node);
  return problems;
}

/**
 * Every singleton that would capture a scoped service, directly or through transients
 * (and aliases) it creates: the scoped instance would outlive its scope.
 */
export function findCaptives(nodes: readonly PlanNode[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  for (const root of nodes) {
    if (root.lifetime !== SINGLETON || !root.owned) continue;
    const visited = new Set<number>();
    const walk = (node: PlanNode, path: PlanNode[]): void => {
      for (const next of depNodes(node)) {
        if (visited.has(next.id)) continue;
        visited.add(next.id);
        if (next.lifetime === SCOPED) problems.push({ kind: "captive", path: [...path, next] });
        else if (next.lifetime === TRANSIENT) walk(next, [...path, next]);
      }
    };
    walk(root, [root]);
  }
  return problems;
}

const arrow = (path: readonly PlanNode[]): string =>
  path
    .map((n) => `${n.name}${n.lifetime === SINGLETON ? "" : ` (${n.lifetimeName})`}`)
    .join(" -> ");

function sites(path: readonly PlanNode[]): string {
  const unique = [...new Map(path.map((n) => [n.id, n])).values()].filter(
    (n) => n.site || n.module,
  );
  return unique.length ? `\n     ${unique.map((n) => n.describe()).join("\n     ")}` : "";
}

/** One readable line (plus where each service was registered) per problem. */
export function describeProblem(p: GraphProblem): string {
  switch (p.kind) {
    case "missing":
      return `missing: ${p.node.name} needs ${keyName(p.key)} (${p.label}), but nothing is registered for ${keyName(p.key)}.${sites([p.node])}`;
    case "unresolvable":
      return `unresolvable: ${p.node.name}: ${p.detail}.${sites([p.node])}`;
    case "cycle":
      return `cycle: ${p.path.map((n) => n.name).join(" -> ")}; break it with a factory that resolves lazily, or restructure.${sites(p.path)}`;
    case "captive": {
      const root = p.path[0]!;
      const scoped = p.path[p.path.length - 1]!;
      return `captive: singleton ${root.name} would hold scoped ${scoped.name} (${arrow(p.path)}); a singleton outlives every scope. Make ${root.name} scoped, or resolve ${scoped.name} per call from currentScope().${sites(p.path)}`;
    }
  }
}
