import type { CurveRows } from "./curve-rows.js";

/**
 * A curve of one variable measured in replicates as the least-squares problem on its replicate
 * means. With w_r the rows' weights (1 unweighted), at each distinct x_k the weight W_k = Σ w_r
 * and the weighted mean ȳ_k = Σ w_r·y_r / W_k of its rows split the RSS exactly:
 *
 *   Σ_r w_r·(y_r − f(x_k))² = Σ_k W_k·(ȳ_k − f(x_k))² + Σ_r w_r·(y_r − ȳ_{k(r)})²,
 *
 * the second sum (the within-replicate sum of squares) not depending on θ. So the residuals
 * √W_k·(ȳ_k − f_k) have the same Jᵀr, JᵀJ and Σ r∇²r as the rows' at every θ — the same
 * Gauss–Newton and Newton steps, the same gain ratios — on one row per distinct x: 8 instead
 * of 24 for 8 concentrations in triplicate. The solver adds the within sum to the RSS it
 * reports and normalises its stop tests with (SmallLm.solve's `offset`), so it stops where
 * it would on the rows.
 */
export class ReplicateMeans {
  private readonly mean: Float64Array;
  private readonly weight: Float64Array;
  private readonly index: Int32Array;
  /** [t] for `into.load`, kept while t is the same buffer (the fitter's): no array per curve. */
  private columns: Float64Array[] = [];

  constructor(maxRows: number) {
    this.mean = new Float64Array(maxRows);
    this.weight = new Float64Array(maxRows);
    this.index = new Int32Array(maxRows);
  }

  /**
   * Loads the means of `rows` (one variable, n rows) at the m sorted distinct x `t` (from
   * averageReplicates) into `into` (the same curve and parameters) and returns the
   * within-replicate sum of squares.
   */
  load(rows: CurveRows, t: Float64Array, m: number, into: CurveRows): number {
    const { mean, weight, index } = this;
    const { n, y, sw } = rows;
    const x = rows.columns[0]!;
    mean.fill(0, 0, m);
    weight.fill(0, 0, m);
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let lo = 0;
      if (i > 0 && xi === x[i - 1]!) {
        // A replicate of the previous row (they mostly sit together): the search below
        // depends on xi only through <, so it would find the same index.
        lo = index[i - 1]!;
      } else {
        // Binary search: t is ascending and holds every x of the rows.
        let hi = m - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (t[mid]! < xi) lo = mid + 1;
          else hi = mid;
        }
      }
      index[i] = lo;
      const w = sw[i]! * sw[i]!;
      weight[lo] = weight[lo]! + w;
      mean[lo] = mean[lo]! + w * y[i]!;
    }
    for (let k = 0; k < m; k++) mean[k] = mean[k]! / weight[k]!;
    let within = 0;
    for (let i = 0; i < n; i++) {
      const d = sw[i]! * (y[i]! - mean[index[i]!]!);
      within += d * d;
    }
    if (this.columns[0] !== t) this.columns = [t];
    into.load(this.columns, mean, weight, 0, m);
    return within;
  }
}
