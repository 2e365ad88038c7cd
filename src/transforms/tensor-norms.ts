import type { Entry } from "../core/layout.js";
import { l2Norm } from "../core/norms.js";

/**
 * Per-tensor L2 norms for the diagnostics, computed inside passes that run anyway (the
 * trainer's raw-gradient norm, a clip's own pass), never in a pass of their own.
 *
 * Bit-identity with `l2Norm`: a layout's entries tile the buffer in order, so one sweep that
 * adds every square to its tensor's sum and to a global sum adds the same terms in the same
 * order as `l2Norm(grad)` and as `l2Norm(grad, e.offset, e.offset + e.size)`. A sum that
 * overflows to +Infinity falls back to `l2Norm`'s scaled recomputation, as `l2Norm` does.
 */

/** Smallest positive normal double: a smaller scale factor is imprecise (`scaleToNorm`). */
export const MIN_NORMAL = 2 ** -1022;

/** Writes ‖g_k‖₂ of each entry k into `out` and returns ‖g‖₂, in one pass over `grad`. */
export function normsByTensor(
  grad: Float64Array,
  entries: readonly Entry[],
  out: Float64Array,
): number {
  let total = 0;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const end = e.offset + e.size;
    let ss = 0;
    for (let i = e.offset; i < end; i++) {
      const v = grad[i]!;
      ss += v * v;
      total += v * v;
    }
    out[k] = ss === Number.POSITIVE_INFINITY ? l2Norm(grad, e.offset, end) : Math.sqrt(ss);
  }
  return total === Number.POSITIVE_INFINITY ? l2Norm(grad) : Math.sqrt(total);
}

/**
 * g[start, end) ← s·g in place (exactly what `scaleInPlace` does) and returns the L2 norm of
 * the scaled range, measured in the same pass (what `l2Norm` of the range would return).
 */
export function scaleAndMeasure(grad: Float64Array, s: number, start: number, end: number): number {
  let ss = 0;
  for (let i = start; i < end; i++) {
    const v = grad[i]! * s;
    grad[i] = v;
    ss += v * v;
  }
  return ss === Number.POSITIVE_INFINITY ? l2Norm(grad, start, end) : Math.sqrt(ss);
}

let scratch = new Float64Array(16);

/**
 * A shared buffer of at least `n` slots for per-tensor norms a clip has measured but may not
 * report (a step its non-finite policy skips leaves the trainer's buffer as it was). Grown,
 * never shrunk: after the first call with a layout it costs nothing.
 */
export function tensorScratch(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}
