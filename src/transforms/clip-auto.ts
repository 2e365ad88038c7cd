import { l2Norm } from "../core/norms.js";
import { boolean, type Checker, checkOptions, oneOf, positiveInteger } from "../core/options.js";
import { scaleGlobalTo } from "./adaptive-math.js";
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

export interface AutoClipOptions {
  /** p in [0, 100]: the threshold is the p-th percentile of the norm history (default 10, the paper's). */
  percentile?: number;
  /** Norms remembered, a sliding window (default 1000); the paper keeps every step. */
  historySize?: number;
  /** Whether the current norm joins the history before the percentile is taken (default true, the paper's). */
  includeCurrent?: boolean;
  onNonFinite?: NonFinitePolicy;
}

export interface AutoClipState extends ClipState {
  /** The threshold c_t of the last completed step (+Infinity while the history was empty; NaN before any step). */
  lastThreshold: number;
  /** Ring buffer of the last `historySize` finite global norms; `next` is the oldest once full. */
  history: Float64Array;
  /** The same `count` values in ascending order (entries from `count` on are unused). */
  sorted: Float64Array;
  /** Norms held (<= historySize). */
  count: number;
  /** Ring slot the next norm is written to. */
  next: number;
}

const percentileChecker: Checker = (v) =>
  typeof v === "number" && v >= 0 && v <= 100 ? null : "a number in [0, 100]";

/**
 * The p-th percentile of `sorted[0, n)` (ascending, n >= 1) by linear interpolation between
 * closest ranks, exactly as numpy's default `np.percentile(h, p)` (method "linear", Hyndman &
 * Fan type 7) and `torch.quantile`:
 *   q = p/100;  h = (n − 1)·q;  i = ⌊h⌋;  t = h − i;
 *   result = x_i + (x_{i+1} − x_i)·t   if t < 0.5,   x_{i+1} − (x_{i+1} − x_i)·(1 − t)   otherwise
 * (numpy's two-sided lerp, so the result is exact at both ends), and x_i when t = 0.
 */
export function percentileOfSorted(sorted: Float64Array, n: number, p: number): number {
  const h = (n - 1) * (p / 100);
  const i = Math.floor(h);
  const a = sorted[i]!;
  const t = h - i;
  if (t === 0 || i + 1 >= n) return a;
  const b = sorted[i + 1]!;
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** Inserts v into sorted[0, count) (ascending), after any equal values. */
function insertSorted(sorted: Float64Array, count: number, v: number): void {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  sorted.copyWithin(lo + 1, lo, count);
  sorted[lo] = v;
}

/** Removes one copy of v (which must be present) from sorted[0, count). */
function removeSorted(sorted: Float64Array, count: number, v: number): void {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  sorted.copyWithin(lo, lo + 1, count);
}

/** Adds a finite norm to the ring buffer and the sorted copy, evicting the oldest when full. */
function remember(state: AutoClipState, norm: number): void {
  const size = state.history.length;
  if (state.count === size) {
    removeSorted(state.sorted, state.count, state.history[state.next]!);
    state.count--;
  }
  insertSorted(state.sorted, state.count, norm);
  state.count++;
  state.history[state.next] = norm;
  state.next = state.next + 1 === size ? 0 : state.next + 1;
}

/**
 * AutoClip (Seetharaman, Wichern, Pardo & Le Roux 2020, arXiv 2007.14469): a global L2 clip
 * whose threshold is a percentile of the gradient norms seen so far,
 *   N_t = ‖g_t‖₂;   c_t = percentile_p(h_t);   g ← g · c_t/N_t  if N_t > c_t, else unchanged,
 * where h_t holds the last `historySize` norms, N_t included when `includeCurrent` (the
 * paper's reference code appends N_t first; the later pip package `QuantileClip` uses previous
 * norms only, so its first step has c = +Infinity, and defaults to the 0.9 quantile, i.e.
 * p = 90, per parameter). The paper recommends p = 10. The percentile is numpy's default
 * (linear interpolation, see `percentileOfSorted`); the clip is biograd's (strict N > c,
 * factor c/N, no ε; PyTorch uses c/(N + 1e-6)).
 *
 * Bounded memory and no allocation per step: a ring buffer plus a sorted copy kept by binary
 * insertion (O(historySize) element moves per step). The history holds pre-clip norms. A step
 * whose gradient held NaN/±Infinity never enters it: "skip" drops the step; "zero" clips the
 * zeroed gradient against the threshold of the existing history and does not record its
 * norm. A finite gradient whose norm overflows (+Infinity) is clipped but not recorded either.
 * `lastNorm` is N_t; `lastThreshold` is c_t.
 */
export function autoClip(options: AutoClipOptions = {}): Transform<AutoClipState> {
  const owner = "autoClip";
  checkOptions(owner, options, {
    percentile: percentileChecker,
    historySize: positiveInteger,
    includeCurrent: boolean,
    onNonFinite: oneOf(...NON_FINITE_POLICIES),
  });
  const p = options.percentile ?? 10;
  const size = options.historySize ?? 1000;
  const includeCurrent = options.includeCurrent ?? true;
  const policy = options.onNonFinite ?? "error";
  return {
    name: `autoClip(p${p}, ${size}${includeCurrent ? "" : ", previous norms"})`,
    init: (): AutoClipState => ({
      ...initClipState(),
      lastThreshold: Number.NaN,
      history: new Float64Array(size),
      sorted: new Float64Array(size),
      count: 0,
      next: 0,
    }),
    update(grad, state, ctx) {
      let before = l2Norm(grad);
      // A gradient a guard zeroed earlier in this step is no sample of the norm distribution.
      let record = Number.isFinite(before) && ctx.nonFiniteZeroed === 0;
      if (!record && hasNonFinite(before, grad)) {
        if (!handleNonFinite(owner, policy, grad, state, ctx)) return;
        before = l2Norm(grad);
        record = false; // a zeroed gradient is not a sample of the norm distribution
      }
      if (record && includeCurrent) remember(state, before);
      const c =
        state.count === 0
          ? Number.POSITIVE_INFINITY
          : percentileOfSorted(state.sorted, state.count, p);
      if (record && !includeCurrent) remember(state, before);
      const clipped = before > c;
      const after = clipped ? scaleGlobalTo(grad, before, c) : before;
      state.lastThreshold = c;
      recordClip(state, ctx, before, before, after, clipped);
    },
  };
}
