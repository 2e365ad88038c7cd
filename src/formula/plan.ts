/**
 * What an evaluation computes, shared by the code generator and the interpreter so that
 * both do the same operations in the same order: the nodes reachable from the value and the
 * partials, in id order (children first), split into those that are the same for every row
 * (numbers, parameters and what is made of them: computed once per call) and those that
 * vary by row (computed in the loop over rows).
 */
import type { Graph } from "./graph.js";

export interface Plan {
  readonly graph: Graph;
  /** The value node, then ∂/∂θ_j for each parameter j. */
  readonly roots: readonly number[];
  /** Row-invariant nodes other than numbers, in evaluation order. */
  readonly invariant: readonly number[];
  /** Row-varying nodes needed for the value and the partials, in evaluation order. */
  readonly rows: readonly number[];
  /** Row-varying nodes needed for the value alone (a subsequence of `rows`). */
  readonly valueRows: readonly number[];
}

export function makePlan(graph: Graph, roots: readonly number[]): Plan {
  const all = reachable(graph, roots);
  const value = reachable(graph, roots.slice(0, 1));
  const invariant: number[] = [];
  const rows: number[] = [];
  const valueRows: number[] = [];
  for (let id = 0; id < graph.size; id++) {
    if (!all[id]) continue;
    if (graph.varying[id]) {
      rows.push(id);
      if (value[id]) valueRows.push(id);
    } else if (graph.op[id] !== "num") {
      invariant.push(id);
    }
  }
  return { graph, roots, invariant, rows, valueRows };
}

function reachable(graph: Graph, roots: readonly number[]): boolean[] {
  const seen = new Array<boolean>(graph.size).fill(false);
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen[id]) continue;
    seen[id] = true;
    stack.push(...graph.args[id]!);
  }
  return seen;
}
