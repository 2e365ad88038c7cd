import type { CurveFunction } from "../../core/curve.js";
import { type Parameterisation, parameterise, toInternal, toNatural } from "../parameters.js";
import type { GlobalGroup, GlobalParameterSpec } from "./types.js";

/**
 * A global fit as a block-structured least-squares problem in internal coordinates φ
 * (the single-fit bounds reparameterisation, parameters.ts, applied per group):
 *
 *   φ = [φ_S (qs shared) | φ_L,1 (ql) | … | φ_L,G (ql)]
 *   r_g = √w·(y_g − f(x_g; θ_g(φ_S, φ_L,g)))   depends on φ_S and φ_L,g only, so
 *   J = [[J_1S, J_1L, 0, …], [J_2S, 0, J_2L, …], …]
 *
 * and only the blocks are stored: group g's block is n_g × (ql + qs), row-major, its local
 * columns first then the shared ones (the order the structured QR eliminates them in).
 */
export interface BlockProblem {
  readonly groups: readonly GlobalGroup[];
  readonly qs: number;
  readonly ql: number;
  /** Total length of φ: qs + G·ql. */
  readonly size: number;
  readonly nTotal: number;
  /** Per group: its parameterisation (free parameters in curve order, shared ones included). */
  readonly params: readonly Parameterisation[];
  /** Curve-order free index k of a group → column in its block ([locals | shared]). */
  readonly blockColumn: Int32Array;
  /** Curve parameter index of each shared / local free parameter, in curve order. */
  readonly sharedIndex: readonly number[];
  readonly localIndex: readonly number[];
  /** Evaluates r (per group) and, when `withJacobian`, the blocks; false if non-finite. */
  evaluate(phi: Float64Array, r: Float64Array[], blocks: Float64Array[] | null): boolean;
  /** The same in natural coordinates θ (dθ/dφ = 1), for the covariance. */
  evaluateNatural(r: Float64Array[], blocks: Float64Array[]): void;
  /** θ of group g at the last evaluation (all curve parameters). */
  theta(g: number): Float64Array;
  /** φ from per-group θ (each group's start values). */
  internal(thetas: readonly Float64Array[]): Float64Array;
}

export function blockProblem(
  curve: CurveFunction,
  groups: readonly GlobalGroup[],
  specs: readonly GlobalParameterSpec[],
  starts: readonly Float64Array[],
): BlockProblem {
  const pAll = curve.params.length;
  const sharedIndex: number[] = [];
  const localIndex: number[] = [];
  specs.forEach((s, j) => {
    if (!s.fixed) (s.shared ? sharedIndex : localIndex).push(j);
  });
  const qs = sharedIndex.length;
  const ql = localIndex.length;
  const q = qs + ql;
  const params = groups.map((_, g) =>
    parameterise(specs.map((s, j) => ({ ...s, start: starts[g]![j]! }))),
  );
  const blockColumn = new Int32Array(q);
  params[0]!.free.forEach((f, k) => {
    const l = localIndex.indexOf(f.index);
    blockColumn[k] = l >= 0 ? l : ql + sharedIndex.indexOf(f.index);
  });
  const nMax = Math.max(...groups.map((gr) => gr.y.length));
  const f = new Float64Array(nMax);
  const full = new Float64Array(nMax * pAll);
  const phiG = new Float64Array(q);
  const dtheta = new Float64Array(q);
  const thetas = groups.map(() => new Float64Array(pAll));
  const sqrtW = groups.map((gr) => (gr.weights ? Float64Array.from(gr.weights, Math.sqrt) : null));
  const nTotal = groups.reduce((s, gr) => s + gr.y.length, 0);

  /** φ_g in the group parameterisation's (curve) order, from the global φ. */
  const gather = (phi: Float64Array, g: number): void => {
    for (let k = 0; k < q; k++) {
      const c = blockColumn[k]!;
      phiG[k] = c < ql ? phi[qs + g * ql + c]! : phi[c - ql]!;
    }
  };

  const fill = (
    g: number,
    r: Float64Array,
    block: Float64Array | null,
    chain: boolean,
  ): boolean => {
    const gr = groups[g]!;
    const n = gr.y.length;
    const theta = thetas[g]!;
    const free = params[g]!.free;
    curve.evaluate(theta, gr.columns, n, f, block ? full : null);
    const sw = sqrtW[g];
    let finite = true;
    for (let i = 0; i < n; i++) {
      const s = sw ? sw[i]! : 1;
      const ri = s * (gr.y[i]! - f[i]!);
      r[i] = ri;
      if (!Number.isFinite(ri)) finite = false;
      if (!block) continue;
      for (let k = 0; k < q; k++) {
        const d = -s * full[i * pAll + free[k]!.index]! * (chain ? dtheta[k]! : 1);
        block[i * q + blockColumn[k]!] = d;
        if (!Number.isFinite(d)) finite = false;
      }
    }
    return finite;
  };

  return {
    groups,
    qs,
    ql,
    size: qs + groups.length * ql,
    nTotal,
    params,
    blockColumn,
    sharedIndex,
    localIndex,
    evaluate(phi, r, blocks) {
      let finite = true;
      for (let g = 0; g < groups.length; g++) {
        gather(phi, g);
        toNatural(params[g]!, phiG, thetas[g]!, dtheta);
        if (!fill(g, r[g]!, blocks ? blocks[g]! : null, true)) finite = false;
      }
      return finite;
    },
    evaluateNatural(r, blocks) {
      for (let g = 0; g < groups.length; g++) fill(g, r[g]!, blocks[g]!, false);
    },
    theta: (g) => thetas[g]!,
    internal(ths) {
      const phi = new Float64Array(qs + groups.length * ql);
      ths.forEach((th, g) => {
        const local = toInternal(params[g]!, th);
        local.forEach((v, k) => {
          const c = blockColumn[k]!;
          if (c < ql) phi[qs + g * ql + c] = v;
          else phi[c - ql] = v;
        });
      });
      return phi;
    },
  };
}
