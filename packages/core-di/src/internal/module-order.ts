import type { AnyModule } from "../module.ts";

/** Orders modules so every module comes after what it `requires`; lists every problem found. */
export function orderModules(modules: readonly AnyModule[]): {
  ordered: AnyModule[];
  problems: string[];
} {
  const problems: string[] = [];
  const byName = new Map<string, AnyModule>();
  for (const m of modules) {
    if (byName.has(m.name)) problems.push(`module "${m.name}" is added twice`);
    else byName.set(m.name, m);
  }
  for (const m of byName.values()) {
    for (const req of m.requires ?? []) {
      if (!byName.has(req)) {
        problems.push(
          `module "${m.name}" requires module "${req}", which is not added: add ${req}() to the modules`,
        );
      }
    }
  }
  const ordered: AnyModule[] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (m: AnyModule): void => {
    const s = state.get(m.name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...stack.slice(stack.indexOf(m.name)), m.name];
      const signature = [...new Set(cycle)].sort().join(",");
      if (!reported.has(signature)) {
        reported.add(signature);
        problems.push(
          `modules require each other in a cycle: ${cycle.map((n) => `"${n}"`).join(" -> ")}`,
        );
      }
      return;
    }
    state.set(m.name, "visiting");
    stack.push(m.name);
    for (const req of m.requires ?? []) {
      const dep = byName.get(req);
      if (dep) visit(dep);
    }
    stack.pop();
    state.set(m.name, "done");
    ordered.push(m);
  };
  for (const m of byName.values()) visit(m);
  return { ordered, problems };
}
