import { InputError } from "../core/errors.js";

/**
 * Integer sizes for splitting: how many rows each part (and, stratified, each class in each
 * part) gets.
 */

/**
 * n·f_j rounded so the sizes sum to n: each part gets floor(n·f_j), and the rows left over
 * go one each to the parts with the largest fractional parts (ties: the earlier part).
 * Products within 1e-9 of an integer count as that integer (0.15·20 is 3, not 2.99…).
 */
export function apportion(n: number, fractions: readonly number[]): number[] {
  const exact = fractions.map((f) => {
    const v = n * f;
    const r = Math.round(v);
    return Math.abs(v - r) < 1e-9 ? r : v;
  });
  const sizes = exact.map((v) => Math.floor(v));
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const order = exact
    .map((v, j) => ({ j, rest: v - Math.floor(v) }))
    .filter(({ j }) => fractions[j]! > 0)
    .sort((a, b) => b.rest - a.rest || a.j - b.j);
  for (let m = 0; left > 0 && order.length > 0; m = (m + 1) % order.length, left--) {
    sizes[order[m]!.j]! += 1;
  }
  return sizes;
}

/**
 * Stratified quotas: quotas[k][j] rows of class k go to part j, with
 * - Σ_j quotas[k][j] = counts[k] (every row of every class is placed);
 * - quotas[k][j] ≥ 1 for each part with a fraction > 0 (every class in every part);
 * - quotas[k][j] as close to counts[k]·f_j as those allow (largest remainder per class);
 * - Σ_k quotas[k][j] = sizes[j] where the class sizes allow it: rows are moved between
 *   parts within a class, always the move that stays closest to proportional.
 * A class with fewer rows than there are parts to fill is an error.
 */
export function stratifiedQuotas(
  counts: readonly number[],
  fractions: readonly number[],
  sizes: readonly number[],
  names: readonly string[],
): number[][] {
  const parts = fractions.length;
  const active = fractions.map((f) => f > 0);
  const needed = active.filter(Boolean).length;
  const lower = active.map((a) => (a ? 1 : 0));
  const quotas = counts.map((n, k) => {
    if (n === 0) return new Array<number>(parts).fill(0);
    if (n < needed) {
      const listed = names.filter((_, j) => active[j]).join(", ");
      throw new InputError(
        `--split: class ${k} (0-based class index) has ${n} ${n === 1 ? "row" : "rows"}, too few to put one in each of the ${needed} parts (${listed}); merge or drop the class, or set a fraction to 0`,
      );
    }
    const q = apportion(n, fractions);
    for (let j = 0; j < parts; j++) {
      if (q[j]! >= lower[j]!) continue;
      // Take the row from the part furthest above its proportional share.
      let from = -1;
      for (let i = 0; i < parts; i++) {
        if (q[i]! <= lower[i]!) continue;
        if (from < 0 || q[i]! - n * fractions[i]! > q[from]! - n * fractions[from]!) from = i;
      }
      q[from]! -= 1;
      q[j]! += 1;
    }
    return q;
  });

  const total = (j: number) => quotas.reduce((s, q) => s + q[j]!, 0);
  for (;;) {
    let moved = false;
    for (let j = 0; j < parts && !moved; j++) {
      if (total(j) <= sizes[j]!) continue;
      for (let to = 0; to < parts && !moved; to++) {
        if (to === j || total(to) >= sizes[to]! || !active[to]) continue;
        let best = -1;
        let bestGain = Number.NEGATIVE_INFINITY;
        quotas.forEach((q, k) => {
          if (q[j]! <= lower[j]! || counts[k] === 0) return;
          const n = counts[k]!;
          const gain = q[j]! - n * fractions[j]! - (q[to]! - n * fractions[to]!);
          if (gain > bestGain) {
            best = k;
            bestGain = gain;
          }
        });
        if (best >= 0) {
          quotas[best]![j]! -= 1;
          quotas[best]![to]! += 1;
          moved = true;
        }
      }
    }
    if (!moved) return quotas;
  }
}
