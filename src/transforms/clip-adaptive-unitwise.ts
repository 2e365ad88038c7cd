import { OptionError } from "../core/errors.js";
import type { Entry, Layout } from "../core/layout.js";
import { l2Norm } from "../core/norms.js";
import { type Checker, checkOptions, oneOf, positive } from "../core/options.js";
import { scaleUnitTo, stridedL2, sumSquares } from "./adaptive-math.js";
import {
  applyColumns,
  applyRows,
  measureColumns,
  measureRows,
  NONE,
  ROWS,
  unitShape,
} from "./agc-units.js";
import {
  type ClipState,
  handleNonFinite,
  hasNonFinite,
  initClipState,
  NON_FINITE_POLICIES,
  type NonFinitePolicy,
  recordClip,
} from "./non-finite.js";
import type { Transform } from "./types.js";

/**
 * Which slices of a layout entry are AGC's units, for an entry viewed as a row-major matrix:
 * - "columns": unit j = W[:, j], all entries sharing the last index (rank >= 2; the default).
 *   biograd's dense layer stores W as (in, out) row-major, so a column is one output neuron's
 *   incoming weights, the unit of the paper (and optax's default for IO-stored rank-2 kernels).
 * - "rows": unit i = W[i, ...], all entries sharing the first index (rank >= 2): the neuron
 *   for a PyTorch-style (out, in) weight.
 * - "all": the whole entry is one unit (the default for rank 0 and 1: a bias vector is one
 *   unit). Under "rows" and "columns" a rank-0/1 entry is one unit as well.
 * - "elements": every entry is its own unit: |g_i| <= λ·max(|θ_i|, ε), a per-parameter rule
 *   that suits mechanistic parameters of very different scales.
 * - "none": the entry is not clipped (the paper leaves the final linear layer unclipped).
 */
export type AgcAxis = "columns" | "rows" | "all" | "elements" | "none";
export const AGC_AXES = ["columns", "rows", "all", "elements", "none"] as const;

export interface AdaptiveClipOptions {
  /** λ > 0: each unit's gradient norm is kept <= λ·max(‖W_u‖, ε). The paper uses 0.01–0.16. */
  clipping: number;
  /** ε > 0, the floor on a unit's parameter norm, so zero-initialised units can move (default 1e-3). */
  eps?: number;
  /**
   * The unit axis for every entry, or a function of the entry's name and shape returning it
   * (undefined: the default, "columns" for rank >= 2, "all" for rank 0 and 1).
   */
  axis?: AgcAxis | ((name: string, shape: readonly number[]) => AgcAxis | undefined);
  onNonFinite?: NonFinitePolicy;
}

export interface AdaptiveClipState extends ClipState {
  /** The threshold in effect, in the clip's own measure ‖G_u‖/max(‖W_u‖, ε): λ (fixed). */
  lastThreshold: number;
  /**
   * The unit plan fixed at init, 5 integers per layout entry: mode (0 none, 1 units are
   * contiguous rows, 2 units are strided columns), offset, R, C (the entry as an R×C
   * row-major matrix; mode 1 has R units of C entries, mode 2 C units of R entries) and the
   * index of the entry's first unit in the per-unit arrays.
   */
  plan: Int32Array;
  /** Per unit, in layout order, from the last completed step: ‖G_u‖ before clipping. */
  unitNorms: Float64Array;
  /** Per unit: the bound B_u = λ·max(‖W_u‖, ε). */
  bounds: Float64Array;
  /** Per unit: the factor applied, B_u/‖G_u‖, or 1 when the unit was not clipped. */
  factors: Float64Array;
  /** Units clipped in the last completed step. */
  lastClippedUnits: number;
}

const MIN_NORMAL = 2 ** -1022;

const axisChecker: Checker = (v) =>
  typeof v === "function" || oneOf(...AGC_AXES)(v) === null
    ? null
    : `one of ${AGC_AXES.map((a) => `"${a}"`).join(", ")} or a function (name, shape) => axis`;

/**
 * Adaptive gradient clipping, AGC (Brock, De, Smith & Simonyan 2021, "High-Performance
 * Large-Scale Image Recognition Without Normalization", arXiv 2102.06171; optax
 * `adaptive_grad_clip`). For every unit u (see `AgcAxis`) of every layout entry:
 *   B_u = λ·max(‖W_u‖₂, ε);   G_u ← G_u · B_u/‖G_u‖₂  if ‖G_u‖₂ > B_u, else unchanged
 * with W the parameters the gradient was taken at (`ctx.params`). The bound is relative to
 * the parameters, so the clip is invariant to the scale of each unit. As biograd's other clips
 * the test is strict (‖G_u‖ = B_u is left alone; optax clips at equality) and there is no
 * 1e-6 floor on ‖G_u‖ (optax's `div_eps`), needless when ‖G_u‖ > B_u > 0.
 *
 * `lastNorm` is the largest ratio ‖G_u‖/max(‖W_u‖, ε) and `lastThreshold` is λ, so the step is
 * clipped exactly when some unit's ratio exceeds λ. The context gets global L2 norms, before
 * and after (sqrt(Σ_u min(‖G_u‖, B_u)²), unclipped entries included). Columns are measured
 * and scaled in row-major passes with per-unit accumulators kept in the state: no allocation,
 * no strided sweep.
 */
export function adaptiveClip(options: AdaptiveClipOptions): Transform<AdaptiveClipState> {
  const owner = "adaptiveClip";
  checkOptions(
    owner,
    options,
    {
      clipping: positive,
      eps: positive,
      axis: axisChecker,
      onNonFinite: oneOf(...NON_FINITE_POLICIES),
    },
    ["clipping"],
  );
  const lambda = options.clipping;
  const eps = options.eps ?? 1e-3;
  const axisOption = options.axis;
  const policy = options.onNonFinite ?? "error";

  const axisOf = (e: Entry): AgcAxis => {
    if (typeof axisOption !== "function")
      return axisOption ?? (e.shape.length >= 2 ? "columns" : "all");
    const chosen = axisOption(e.name, e.shape);
    if (chosen === undefined) return e.shape.length >= 2 ? "columns" : "all";
    if (oneOf(...AGC_AXES)(chosen) !== null) {
      const expected = `one of ${AGC_AXES.map((a) => `"${a}"`).join(", ")} (or undefined for the default)`;
      throw new OptionError(owner, `axis("${e.name}")`, chosen, expected);
    }
    return chosen;
  };

  return {
    name: `adaptiveClip(${lambda}, eps ${eps})`,
    init(layout: Layout): AdaptiveClipState {
      const plan = new Int32Array(layout.entries.length * 5);
      let units = 0;
      layout.entries.forEach((e, k) => {
        const [mode, r, c] = unitShape(e, axisOf(e));
        plan.set([mode, e.offset, r, c, units], 5 * k);
        units += mode === NONE ? 0 : mode === ROWS ? r : c;
      });
      return {
        ...initClipState(),
        lastThreshold: lambda,
        plan,
        unitNorms: new Float64Array(units),
        bounds: new Float64Array(units),
        factors: new Float64Array(units).fill(1),
        lastClippedUnits: 0,
      };
    },
    update(grad, state, ctx) {
      let before = l2Norm(grad);
      if (hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
      }
      const params = ctx.params;
      const { plan, unitNorms: gn, bounds: bn, factors } = state;
      let maxRatio = 0;
      let afterSq = 0;
      let clippedUnits = 0;
      for (let k = 0; k < plan.length; k += 5) {
        const mode = plan[k]!;
        const off = plan[k + 1]!;
        const R = plan[k + 2]!;
        const C = plan[k + 3]!;
        const u0 = plan[k + 4]!;
        if (mode === NONE) {
          afterSq += sumSquares(grad, off, off + R * C);
          continue;
        }
        // 1. Sums of squares of G and W per unit, in one row-major pass.
        if (mode === ROWS) measureRows(grad, params, gn, bn, off, R, C, u0);
        else measureColumns(grad, params, gn, bn, off, R, C, u0);
        // 2. Norms, bounds and factors per unit.
        const units = mode === ROWS ? R : C;
        const count = mode === ROWS ? C : R;
        const stride = mode === ROWS ? 1 : C;
        let scale = false;
        let careful = false;
        for (let j = 0; j < units; j++) {
          const u = u0 + j;
          const start = mode === ROWS ? off + j * C : off + j;
          const sg = gn[u]!;
          const sw = bn[u]!;
          const n =
            sg === Number.POSITIVE_INFINITY ? stridedL2(grad, start, count, stride) : Math.sqrt(sg);
          const pw =
            sw === Number.POSITIVE_INFINITY
              ? stridedL2(params, start, count, stride)
              : Math.sqrt(sw);
          const floor = Math.max(pw, eps);
          const b = lambda * floor;
          gn[u] = n;
          bn[u] = b;
          const ratio = n / floor;
          if (ratio > maxRatio) maxRatio = ratio;
          if (n > b) {
            clippedUnits++;
            afterSq += b * b;
            const f = b / n;
            if (f >= MIN_NORMAL) {
              factors[u] = f;
              scale = true;
            } else {
              // A norm that overflowed, or a factor too small to be a normal double.
              scaleUnitTo(grad, start, count, stride, n, b);
              factors[u] = 1;
              careful = true;
            }
          } else {
            factors[u] = 1;
            afterSq += sg;
          }
        }
        // 3. Apply the factors.
        if (scale) {
          if (mode === ROWS) applyRows(grad, factors, off, R, C, u0);
          else applyColumns(grad, factors, off, R, C, u0);
        }
        if (careful) {
          for (let u = u0; u < u0 + units; u++) if (gn[u]! > bn[u]!) factors[u] = bn[u]! / gn[u]!;
        }
      }
      state.lastClippedUnits = clippedUnits;
      recordClip(state, ctx, maxRatio, before, Math.sqrt(afterSq), clippedUnits > 0);
    },
  };
}
