/**
 * out[u, l] = Σ_k C[u, k]·S[k, l] + D[u, l] (u outputs, k states, l parameters): the form of
 * every sensitivity product here (J·S + ∂f/∂θ and its derivatives, ∂h/∂y·S + ∂h/∂θ). One
 * generated kernel evaluates only the nonzero entries of C and D (their sparsity is known
 * symbolically); a fixed loop does the products. Unrolling the products into generated code
 * instead makes functions too large for V8 to optimise once models have tens of states.
 */
import type { Graph } from "../../formula/graph.js";
import { type Kernel, makeKernel } from "./kernel.js";
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

/** coef[u][k] and direct[u][l] are graph nodes; entries that are the number 0 are skipped. */
export function makeContraction(
  g: Graph,
  slots: Slots,
  coef: readonly (readonly number[])[],
  direct: readonly (readonly number[])[],
  np: number,
): ContractionKernel {
  const nodes: number[] = [];
  const coefAt: number[] = []; // triples: value index, u, k
  const directAt: number[] = []; // triples: value index, u, l
  coef.forEach((row, u) => {
    row.forEach((node, k) => {
      if (g.isZero(node)) return;
      coefAt.push(nodes.length, u, k);
      nodes.push(node);
    });
  });
  direct.forEach((row, u) => {
    row.forEach((node, l) => {
      if (g.isZero(node)) return;
      directAt.push(nodes.length, u, l);
      nodes.push(node);
    });
  });
  const values: Kernel = makeKernel(
    g,
    slots,
    nodes.map((node) => ({ node })),
  );
  const scratch = new Float64Array(nodes.length);
  const coefs = Int32Array.from(coefAt);
  const directs = Int32Array.from(directAt);
  return (t, y, p, c, v, S, out) => {
    values(t, y, p, c, v, null, scratch);
    out.fill(0);
    for (let q = 0; q < directs.length; q += 3) {
      out[directs[q + 1]! * np + directs[q + 2]!] = scratch[directs[q]!]!;
    }
    for (let q = 0; q < coefs.length; q += 3) {
      const h = scratch[coefs[q]!]!;
      const row = coefs[q + 1]! * np;
      const col = coefs[q + 2]! * np;
      for (let l = 0; l < np; l++) out[row + l]! += h * S[col + l]!;
    }
  };
}
