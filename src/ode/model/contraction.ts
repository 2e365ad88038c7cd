/**
 * out[u, l] = Σ_k C[u, k]·S[k, l] + D[u, l] (u outputs, k states, l parameters): the form of
 * every sensitivity product here (J·S + ∂f/∂θ and its derivatives, ∂h/∂y·S + ∂h/∂θ). Only
 * the nonzero entries of C and D (their sparsity is known symbolically) are computed; each
 * nonzero C[u, k] becomes one generated loop over l,
 *   for (let l = 0; l < np; l++) out[u·np + l] += n17 * S[k·np + l];
 * so code size grows with the nonzeros, not with nonzeros × parameters (fully unrolled code
 * grew past what V8 optimises once models have tens of states).
 */
import type { Graph } from "../../formula/graph.js";
import { compileKernel, interpretKernel, type Kernel, kernelSourceWith } from "./kernel.js";
import type { Slots } from "./slots.js";

export type ContractionKernel = (
  t: number,
  y: Float64Array,
  p: Float64Array,
  c: Float64Array,
  v: Float64Array | null,
  S: Float64Array,
  out: Float64Array,
) => void;

export interface Entry {
  node: number;
  row: number;
  col: number;
}

/** coef[u][k] and direct[u][l] are graph nodes; entries that are the number 0 are skipped. */
export function makeContraction(
  g: Graph,
  slots: Slots,
  coef: readonly (readonly number[])[],
  direct: readonly (readonly number[])[],
  np: number,
): ContractionKernel {
  const nonzero = (rows: readonly (readonly number[])[]): Entry[] =>
    rows.flatMap((r, row) =>
      r.flatMap((node, col) => (g.isZero(node) ? [] : [{ node, row, col }])),
    );
  const coefs = nonzero(coef);
  const directs = nonzero(direct);
  const size = coef.length * np;
  const roots = [...coefs, ...directs].map((e) => e.node);
  const source = kernelSourceWith(g, slots, roots, (ref) => [
    `  for (let l = 0; l < ${size}; l++) out[l] = 0;`,
    ...directs.map((e) => `  out[${e.row * np + e.col}] = ${ref(e.node)};`),
    ...coefs.map(
      (e) =>
        `  for (let l = 0; l < ${np}; l++) out[${e.row * np} + l] += ${ref(e.node)} * S[${e.col * np} + l];`,
    ),
  ]);
  return compileKernel(source, () =>
    interpretContraction(g, slots, coefs, directs, np, size),
  ) as ContractionKernel;
}

/** The same products with the node values from the interpreter. */
export function interpretContraction(
  g: Graph,
  slots: Slots,
  coefs: readonly Entry[],
  directs: readonly Entry[],
  np: number,
  size: number,
): Kernel {
  const values = interpretKernel(g, slots, [...coefs, ...directs]);
  const scratch = new Float64Array(coefs.length + directs.length);
  return (t, y, p, c, v, S, out) => {
    values(t, y, p, c, v, null, scratch);
    out.fill(0, 0, size);
    directs.forEach((e, k) => {
      out[e.row * np + e.col] = scratch[coefs.length + k]!;
    });
    coefs.forEach((e, k) => {
      for (let l = 0; l < np; l++) out[e.row * np + l]! += scratch[k]! * S![e.col * np + l]!;
    });
  };
}
