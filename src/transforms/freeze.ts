import { findEntry } from "../core/layout.js";
import type { Transform } from "./types.js";

/**
 * Zeroes the gradient of the named parameters so they never move (fixed parameters).
 * Put it first in a chain so clips and optimizer moments never see those entries.
 * `freeze(["b"])` is how `demo seed --faithful` reproduces the seed code, which never updates b.
 */
export function freeze(names: readonly string[]): Transform<{ ranges: Uint32Array }> {
  return {
    name: `freeze(${names.join(", ")})`,
    init(layout) {
      // Unknown names fail here, by name; the ranges are resolved once, not per step.
      const ranges = new Uint32Array(names.length * 2);
      names.forEach((n, k) => {
        const e = findEntry(layout, n);
        ranges[2 * k] = e.offset;
        ranges[2 * k + 1] = e.offset + e.size;
      });
      return { ranges };
    },
    update(grad, { ranges }) {
      for (let k = 0; k < ranges.length; k += 2) grad.fill(0, ranges[k], ranges[k + 1]);
    },
  };
}
