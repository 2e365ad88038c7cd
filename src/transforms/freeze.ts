import { findEntry } from "../core/layout.js";
import type { Transform } from "./types.js";

export interface FreezeState<S> {
  /** Flat [start, end) index pairs of the frozen entries, resolved once at init. */
  ranges: Uint32Array;
  inner: S;
}

/**
 * Fixed parameters: runs `inner` with the named entries' gradient set to zero, then zeroes
 * their update as well. Zeroing before keeps them out of clip norms and optimizer moments;
 * zeroing after is what makes them truly fixed, since an update need not be a function of the
 * gradient alone (AdamW's decoupled decay −η·λ·θ moves every parameter).
 *
 * `freeze(["b"], chain(clipByValue({ max: 0.1 }), sgd({ lr: 0.01 })))` is how
 * `demo seed --faithful` reproduces the seed code, which never updates b.
 */
export function freeze<S>(
  names: readonly string[],
  inner: Transform<S>,
): Transform<FreezeState<S>> {
  const zero = (buffer: Float64Array, ranges: Uint32Array): void => {
    for (let k = 0; k < ranges.length; k += 2) buffer.fill(0, ranges[k], ranges[k + 1]);
  };
  return {
    name: `freeze([${names.join(", ")}], ${inner.name})`,
    init(layout) {
      // Unknown names fail here, by name; the ranges are resolved once, not per step.
      const ranges = new Uint32Array(names.length * 2);
      names.forEach((n, k) => {
        const e = findEntry(layout, n);
        ranges[2 * k] = e.offset;
        ranges[2 * k + 1] = e.offset + e.size;
      });
      return { ranges, inner: inner.init(layout) };
    },
    update(grad, state, ctx) {
      zero(grad, state.ranges);
      inner.update(grad, state.inner, ctx);
      zero(grad, state.ranges);
    },
  };
}
