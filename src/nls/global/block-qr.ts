import { householderTriangularise, invertUpper, solveUpper } from "./householder.js";

/**
 * The structured QR of the block Jacobian (block-problem.ts), scaled by D and damped:
 *
 *   min ‖J̃·p̃ + r‖² + λ‖p̃‖²,   J̃ = J·D⁻¹,   p = D⁻¹·p̃
 *
 * Group g's rows [J̃_gL | J̃_gS | r_g] plus √λ·I under its local columns are triangularised
 * (its local columns first): the top ql rows [R_gL | R_gLS | c_gL] are kept, and the next qs
 * rows [R_gS | c_gS] — all the group says about the shared parameters — are stacked. The stack
 * plus √λ·I under the shared columns is triangularised to [R_S | c_S]. Then
 *
 *   R_S·p̃_S = −c_S,   R_gL·p̃_gL = −(c_gL + R_gLS·p̃_S)
 *
 * Exactly the QR of the whole (never formed) matrix: O(Σ n_g·(ql+qs)² + G·qs³) work and
 * O(G·ql·(ql+qs) + G·qs²) memory, and like any QR it does not square the condition number as
 * the normal equations (and their Schur complement) would.
 */
export interface BlockQr {
  readonly G: number;
  readonly ql: number;
  readonly qs: number;
  /** Per group: ql × (ql + qs + 1) = [R_gL | R_gLS | c_gL]. */
  readonly top: Float64Array[];
  /** (G + 1)·qs × (qs + 1); after factoring, its first qs rows are [R_S | c_S]. */
  readonly stack: Float64Array;
  readonly scratch: Float64Array;
}

export function createBlockQr(G: number, ql: number, qs: number, nMax: number): BlockQr {
  const cols = ql + qs + 1;
  return {
    G,
    ql,
    qs,
    top: Array.from({ length: G }, () => new Float64Array(ql * cols)),
    stack: new Float64Array((G + 1) * qs * (qs + 1)),
    scratch: new Float64Array((nMax + ql) * cols),
  };
}

/**
 * Factors [J̃; √λ·I] with right-hand side r. `scale` is D over the global φ layout
 * ([shared | group locals …]); `r` and `blocks` are per group.
 */
export function factorBlocks(
  qr: BlockQr,
  blocks: readonly Float64Array[],
  r: readonly Float64Array[],
  scale: Float64Array,
  lambda: number,
): void {
  const { G, ql, qs, top, stack, scratch: w } = qr;
  const q = ql + qs;
  const cols = q + 1;
  const damp = Math.sqrt(lambda);
  const sCols = qs + 1;
  stack.fill(0);
  for (let g = 0; g < G; g++) {
    const n = r[g]!.length;
    const block = blocks[g]!;
    const rg = r[g]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < q; j++) {
        const d = j < ql ? scale[qs + g * ql + j]! : scale[j - ql]!;
        w[i * cols + j] = block[i * q + j]! / d;
      }
      w[i * cols + q] = rg[i]!;
    }
    const m = lambda > 0 ? n + ql : n;
    if (lambda > 0) {
      w.fill(0, n * cols, m * cols);
      for (let j = 0; j < ql; j++) w[(n + j) * cols + j] = damp;
    }
    householderTriangularise(w, m, cols, q);
    const t = top[g]!;
    t.fill(0);
    for (let i = 0; i < Math.min(ql, m); i++) {
      for (let j = i; j < cols; j++) t[i * cols + j] = w[i * cols + j]!;
    }
    for (let i = 0; i < qs && ql + i < m; i++) {
      for (let j = 0; j < sCols; j++)
        stack[(g * qs + i) * sCols + j] = w[(ql + i) * cols + ql + j]!;
    }
  }
  if (qs === 0) return;
  if (lambda > 0) for (let j = 0; j < qs; j++) stack[(G * qs + j) * sCols + j] = damp;
  householderTriangularise(stack, (G + 1) * qs, sCols, qs);
}

/** p̃ (global layout) from the factors: p̃ = −R⁻¹c, shared block first. */
export function solveBlocks(qr: BlockQr, out: Float64Array): void {
  const { G, ql, qs, top, stack } = qr;
  const cols = ql + qs + 1;
  for (let j = 0; j < qs; j++) out[j] = -stack[j * (qs + 1) + qs]!;
  solveUpper(stack, qs + 1, 0, qs, out, 0);
  for (let g = 0; g < G; g++) {
    const t = top[g]!;
    const off = qs + g * ql;
    for (let i = 0; i < ql; i++) {
      let s = t[i * cols + ql + qs]!;
      for (let j = 0; j < qs; j++) s += t[i * cols + ql + j]! * out[j]!;
      out[off + i] = -s;
    }
    solveUpper(t, cols, 0, ql, out, off);
  }
}

/** max/min |diagonal| of the (undamped, column-scaled) factor: ∞ when one is zero. */
export function diagonalRatio(qr: BlockQr): number {
  const { G, ql, qs, top, stack } = qr;
  const cols = ql + qs + 1;
  let hi = 0;
  let lo = Number.POSITIVE_INFINITY;
  const see = (v: number) => {
    hi = Math.max(hi, Math.abs(v));
    lo = Math.min(lo, Math.abs(v));
  };
  for (let j = 0; j < qs; j++) see(stack[j * (qs + 1) + j]!);
  for (let g = 0; g < G; g++) for (let i = 0; i < ql; i++) see(top[g]![i * cols + i]!);
  return lo > 0 ? hi / lo : Number.POSITIVE_INFINITY;
}

/**
 * (J̃ᵀJ̃)⁻¹ = R⁻¹R⁻ᵀ, group by group, from an undamped factor with a non-zero diagonal. With
 * R = [[L, C], [0, R_S]] (L block-diagonal): R⁻¹ = [[L⁻¹, −M·], [0, R_S⁻¹]], M_g = L_g⁻¹C_gR_S⁻¹,
 *
 *   Cov_S = R_S⁻¹R_S⁻ᵀ,   Cov_gL = L_g⁻¹L_g⁻ᵀ + M_gM_gᵀ,   Cov_gL,S = −M_gR_S⁻ᵀ.
 *
 * Returns per group the (ql+qs)² matrix in block order [locals | shared], scaled back by D.
 */
export function blockCovariances(qr: BlockQr, scale: Float64Array): Float64Array[] {
  const { G, ql, qs, top, stack } = qr;
  const q = ql + qs;
  const cols = q + 1;
  const rsInv = invertUpper(stack, qs + 1, 0, qs);
  const out: Float64Array[] = [];
  const m = new Float64Array(ql * qs);
  for (let g = 0; g < G; g++) {
    const t = top[g]!;
    const lInv = invertUpper(t, cols, 0, ql);
    // M = L⁻¹·(C·R_S⁻¹)
    const cr = new Float64Array(ql * qs);
    for (let i = 0; i < ql; i++) {
      for (let j = 0; j < qs; j++) {
        let s = 0;
        for (let l = 0; l <= j; l++) s += t[i * cols + ql + l]! * rsInv[l * qs + j]!;
        cr[i * qs + j] = s;
      }
    }
    for (let i = 0; i < ql; i++) {
      for (let j = 0; j < qs; j++) {
        let s = 0;
        for (let l = i; l < ql; l++) s += lInv[i * ql + l]! * cr[l * qs + j]!;
        m[i * qs + j] = s;
      }
    }
    // Rows of the group's part of R⁻¹: [L⁻¹ | −M] for locals, [0 | R_S⁻¹] for shared.
    const row = (a: number, c: number): number =>
      a < ql
        ? c < ql
          ? lInv[a * ql + c]!
          : -m[a * qs + c - ql]!
        : c < ql
          ? 0
          : rsInv[(a - ql) * qs + c - ql]!;
    const cov = new Float64Array(q * q);
    const d = (a: number) => (a < ql ? scale[qs + g * ql + a]! : scale[a - ql]!);
    for (let a = 0; a < q; a++) {
      for (let b = a; b < q; b++) {
        let s = 0;
        for (let c = 0; c < q; c++) s += row(a, c) * row(b, c);
        const v = s / (d(a) * d(b));
        cov[a * q + b] = v;
        cov[b * q + a] = v;
      }
    }
    out.push(cov);
  }
  return out;
}
