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
import {
  bindLater,
  compileKernel,
  interpretKernel,
  type Kernel,
  type KernelFactory,
  kernelSourceWith,
} from "./kernel.js";
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

/**
 * coef[u][k] and direct[u][l] are graph nodes; entries that are the number 0 are skipped.
 * With `lead` nodes (the right-hand sides f), the kernel works on the augmented vectors instead:
 * out[0..m) ← lead, and the products go to out[m + u·np + l] from S[m + k·np + l], m =
 * lead.length, so `kernel(t, z, p, c, null, z, dz)` computes [f; J·S + ∂f/∂θ] for z = [y; S]
 * in one call, every node shared by f, J and ∂f/∂θ computed once.
 */
export function makeContraction(
  g: Graph,
  slots: Slots,
  coef: readonly (readonly number[])[],
  direct: readonly (readonly number[])[],
  np: number,
  lead: readonly number[] = [],
): ContractionKernel {
  return makeContractionSource(g, slots, coef, direct, np, lead, false) as ContractionKernel;
}

/** makeContraction with the parameter-only nodes hoisted into the binding (KernelFactory). */
export function makeContractionFactory(
  g: Graph,
  slots: Slots,
  coef: readonly (readonly number[])[],
  direct: readonly (readonly number[])[],
  np: number,
  lead: readonly number[] = [],
): KernelFactory<ContractionKernel> {
  return makeContractionSource(
    g,
    slots,
    coef,
    direct,
    np,
    lead,
    true,
  ) as KernelFactory<ContractionKernel>;
}

function makeContractionSource(
  g: Graph,
  slots: Slots,
  coef: readonly (readonly number[])[],
  direct: readonly (readonly number[])[],
  np: number,
  lead: readonly number[],
  hoist: boolean,
): ContractionKernel | KernelFactory<ContractionKernel> {
  const nonzero = (rows: readonly (readonly number[])[]): Entry[] =>
    rows.flatMap((r, row) =>
      r.flatMap((node, col) => (g.isZero(node) ? [] : [{ node, row, col }])),
    );
  const coefs = nonzero(coef);
  const directs = nonzero(direct);
  const size = coef.length * np;
  const m = lead.length;
  const roots = [...lead, ...coefs.map((e) => e.node), ...directs.map((e) => e.node)];
  const body = (ref: (id: number) => string) => [
    ...lead.map((node, k) => `  out[${k}] = ${ref(node)};`),
    `  for (let l = ${m}; l < ${m + size}; l++) out[l] = 0;`,
    ...directs.map((e) => `  out[${m + e.row * np + e.col}] = ${ref(e.node)};`),
    ...coefs.map(
      (e) =>
        `  for (let l = 0; l < ${np}; l++) out[${m + e.row * np} + l] += ${ref(e.node)} * S[${m + e.col * np} + l];`,
    ),
  ];
  const source = kernelSourceWith(g, slots, roots, body, hoist);
  const interpreted = () => interpretContraction(g, slots, coefs, directs, np, size, lead);
  if (!hoist) return compileKernel(source, interpreted) as ContractionKernel;
  return compileKernel(source, () => bindLater(interpreted())) as KernelFactory<ContractionKernel>;
}

/** The same products with the node values from the interpreter. */
export function interpretContraction(
  g: Graph,
  slots: Slots,
  coefs: readonly Entry[],
  directs: readonly Entry[],
  np: number,
  size: number,
  lead: readonly number[] = [],
): Kernel {
  const m = lead.length;
  const leads = lead.map((node) => ({ node }));
  const values = interpretKernel(g, slots, [...leads, ...coefs, ...directs]);
  const scratch = new Float64Array(m + coefs.length + directs.length);
  return (t, y, p, c, v, S, out) => {
    values(t, y, p, c, v, null, scratch);
    for (let k = 0; k < m; k++) out[k] = scratch[k]!;
    out.fill(0, m, m + size);
    directs.forEach((e, k) => {
      out[m + e.row * np + e.col] = scratch[m + coefs.length + k]!;
    });
    coefs.forEach((e, k) => {
      for (let l = 0; l < np; l++) {
        out[m + e.row * np + l]! += scratch[m + k]! * S![m + e.col * np + l]!;
      }
    });
  };
}
