import type { CurveFit } from "../fit-curve.js";

/**
 * What a model comparison needs of one fit: enough to recompute R's logLik, AIC and AICc.
 * For a fit made of independent per-group fits with one pooled σ (the "separate" model of a
 * global fit), `pooledFitStats` adds them up.
 */
export interface ModelFitStats {
  /** Weighted RSS Σ w_i (y_i − f_i)². */
  readonly rss: number;
  /** Observations with non-zero weight. */
  readonly n: number;
  /** Free (estimated) parameters, σ not counted. */
  readonly p: number;
  /** Σ log w_i over those observations (0 when unweighted). */
  readonly sumLogWeights: number;
}

/** A fit's comparison statistics; pass the fit's weights when it was weighted. */
export function fitStats(
  fit: { readonly summary: Pick<CurveFit["summary"], "rss" | "n" | "p"> },
  weights: Float64Array | null = null,
): ModelFitStats {
  let sumLogWeights = 0;
  if (weights !== null) for (const w of weights) if (w > 0) sumLogWeights += Math.log(w);
  return { rss: fit.summary.rss, n: fit.summary.n, p: fit.summary.p, sumLogWeights };
}

/** Independent fits taken as one model with a common σ: RSS, n, p and Σ log w add up. */
export function pooledFitStats(parts: readonly ModelFitStats[]): ModelFitStats {
  return parts.reduce(
    (a, b) => ({
      rss: a.rss + b.rss,
      n: a.n + b.n,
      p: a.p + b.p,
      sumLogWeights: a.sumLogWeights + b.sumLogWeights,
    }),
    { rss: 0, n: 0, p: 0, sumLogWeights: 0 },
  );
}

/**
 * R's stats:::logLik.nls (see information-criteria.ts) and
 *   AIC  = −2·logLik + 2k,   k = p + 1 (σ is estimated too)
 *   AICc = AIC + 2k(k + 1)/(n − k − 1)   (Hurvich & Tsai 1989; Prism's and drc's AICc)
 * AICc is null when n ≤ k + 1 (the correction is undefined).
 */
export function informationOf(s: ModelFitStats): {
  logLik: number;
  aic: number;
  aicc: number | null;
} {
  const { rss, n, p, sumLogWeights } = s;
  const logLik =
    (-n * (Math.log(2 * Math.PI) + 1 - Math.log(n) - sumLogWeights / n + Math.log(rss))) / 2;
  const k = p + 1;
  const aic = -2 * logLik + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : null;
  return { logLik, aic, aicc };
}

/**
 * Akaike weights of a set of models from their AICc (or AIC) values (Burnham & Anderson 2002,
 * §2.9): w_i = exp(−Δ_i/2) / Σ_j exp(−Δ_j/2), Δ_i = AICc_i − min AICc. Computed from the
 * differences so that large AICc values do not underflow.
 */
export function akaikeWeights(criteria: readonly number[]): number[] {
  const best = Math.min(...criteria);
  const raw = criteria.map((c) => Math.exp(-(c - best) / 2));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / total);
}
