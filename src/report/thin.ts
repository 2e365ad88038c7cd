/**
 * Indices of at most `limit` rows out of `n`, evenly spaced, always keeping the first and the
 * last: long histories are drawn thinned (every row stays in the result files), so a
 * 1,000,000-epoch run is a chart of a few thousand points, never a 100 MB SVG.
 */
export function thinIndices(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  const step = (n - 1) / (limit - 1);
  for (let k = 0; k < limit; k++) out.push(Math.round(k * step));
  return out;
}

/** The default number of epochs drawn from a history. */
export const DRAWN_ROWS = 2000;
