import { InputError } from "../../core/errors.js";
import type { OdeData } from "./ode-data.js";

/**
 * Which measured cell each residual compares with: residual k is observable `obs[k]` at data
 * row `row[k]` (row-major over the wide table, empty cells skipped). Weights are 1/σ² of the
 * observable, so curve-fit residuals √w·(y − h) are the ODE fit's (y − h)/σ.
 */
export interface ResidualLayout {
  readonly n: number;
  readonly row: Uint32Array;
  readonly obs: Uint32Array;
  /** The measured values, in residual order. */
  readonly y: Float64Array;
  /** The time of each residual (the curve fit's one "variable" column). */
  readonly t: Float64Array;
  /** 1/σ² per residual, or null when every σ is 1. */
  readonly weights: Float64Array | null;
}

export function residualLayout(data: OdeData, sigma: Float64Array, where: string): ResidualLayout {
  const m = data.observables.length;
  sigma.forEach((s, k) => {
    if (!(Number.isFinite(s) && s > 0)) {
      throw new InputError(
        `${where}: noise.${data.observables[k]}: σ must be a number > 0, got ${s}`,
      );
    }
  });
  const row: number[] = [];
  const obs: number[] = [];
  for (let i = 0; i < data.times.length; i++) {
    for (let k = 0; k < m; k++) {
      if (!Number.isNaN(data.values[i * m + k]!)) {
        row.push(i);
        obs.push(k);
      }
    }
  }
  const n = row.length;
  const unit = sigma.every((s) => s === 1);
  return {
    n,
    row: Uint32Array.from(row),
    obs: Uint32Array.from(obs),
    y: Float64Array.from(row, (i, k) => data.values[i * m + obs[k]!]!),
    t: Float64Array.from(row, (i) => data.times[i]!),
    weights: unit ? null : Float64Array.from(obs, (k) => 1 / (sigma[k]! * sigma[k]!)),
  };
}
