import { InputError } from "../core/errors.js";
import { curveBands } from "../nls/stats/bands.js";
import { ec50SpecFor } from "../nls/stats/derived-ec50.js";
import { type FitDocument, fittedCurve, savedBandModel } from "./fit-band-model.js";
import { normalScores } from "./normal-quantile.js";
import { type ChartSpec, chart, type DataRow } from "./theme.js";

export interface CurveFitSpecOptions {
  /**
   * x axis: "log" (log10, for concentrations; rows with x <= 0 are then not drawn) or
   * "linear". Default: log for the hill models when every x is > 0.
   */
  xScale?: "log" | "linear";
  /** x axis title. Default: the model's x column. */
  xTitle?: string;
  /** Points on which the fitted curve and its bands are sampled. Default 200. */
  samples?: number;
  /** Confidence level of the bands. Default: the fit's. */
  level?: number;
}

/**
 * The curve-fit chart: the data (every row, replicates as separate points), the fitted curve
 * sampled on the fitted function, its confidence and prediction bands (src/nls/stats/bands.ts,
 * from the fit's covariance) and the EC50 when the model has one; below, residuals against
 * fitted values and a normal Q–Q plot of the standardised residuals. `x`, `y` are the rows the
 * fit used (its variable and response columns).
 */
export function curveFitSpec(
  doc: FitDocument,
  x: Float64Array,
  y: Float64Array,
  options: CurveFitSpecOptions = {},
): ChartSpec {
  const { model } = doc;
  if (model.variables.length !== 1) {
    throw new InputError(
      `plot: a curve chart needs a one-variable model; this one takes ${model.variables.length} (${model.columns.join(", ")})`,
    );
  }
  const xName = model.columns[0]!;
  const yName = doc.data.y;
  const ec = ec50SpecFor(model.name);
  // A log axis cannot show x <= 0 (a zero-dose control): such data keep a linear axis.
  const positive = x.every((v) => v > 0);
  const log = (options.xScale ?? (ec?.scale === "linear" && positive ? "log" : "linear")) === "log";
  const { curve, theta } = fittedCurve(doc);
  const n = x.length;
  const fitted = new Float64Array(n);
  curve.evaluate(theta, [x], n, fitted, null);

  const points: DataRow[] = Array.from({ length: n }, (_, i) => ({ x: x[i]!, y: y[i]! }));
  const grid = sampleGrid(x, options.samples ?? 200, log);
  const band = savedBandModel(doc, curve, theta);
  const curveRows: DataRow[] = [];
  if (band) {
    const b = curveBands(band, [grid], { level: options.level ?? doc.result.conf_level });
    for (let i = 0; i < grid.length; i++) {
      curveRows.push({
        x: grid[i]!,
        y: b.fitted[i]!,
        confLower: b.confidence.lower[i]!,
        confUpper: b.confidence.upper[i]!,
        predLower: b.prediction.lower[i]!,
        predUpper: b.prediction.upper[i]!,
      });
    }
  } else {
    const f = new Float64Array(grid.length);
    curve.evaluate(theta, [grid], grid.length, f, null);
    for (let i = 0; i < grid.length; i++) curveRows.push({ x: grid[i]!, y: f[i]! });
  }
  const sigma = doc.result.sigma;
  const residuals: DataRow[] = Array.from({ length: n }, (_, i) => ({
    fitted: fitted[i]!,
    residual: y[i]! - fitted[i]!,
  }));
  const standardised = residuals
    .map((r) => (r.residual as number) / (sigma ?? 1))
    .sort((a, b) => a - b);
  const scores = normalScores(standardised.length);
  const qq: DataRow[] = standardised.map((s, i) => ({ theoretical: scores[i]!, sample: s }));

  const ecRows: DataRow[] = [];
  if (ec && Object.hasOwn(doc.result.estimates, ec.parameter)) {
    const at = doc.result.estimates[ec.parameter]!;
    const f = new Float64Array(1);
    curve.evaluate(theta, [Float64Array.of(at)], 1, f, null);
    if (Number.isFinite(f[0]!) && (!log || at > 0)) {
      // The Wald interval on the fitted scale (as `ec50` computes it), drawn across the curve.
      const lower = doc.result.conf_lower[ec.parameter] ?? null;
      const upper = doc.result.conf_upper[ec.parameter] ?? null;
      const drawable = lower !== null && upper !== null && (!log || lower > 0);
      ecRows.push({
        x: at,
        y: f[0]!,
        label: ec.scale === "log10" ? "logEC50" : "EC50",
        lower: drawable ? lower : null,
        upper: drawable ? upper : null,
      });
    }
  }

  const xEnc = {
    field: "x",
    type: "quantitative",
    title: options.xTitle ?? (log ? `${xName} (log10 axis)` : xName),
    scale: log ? { type: "log" } : { zero: false },
  };
  const yEnc = { field: "y", type: "quantitative", title: yName, scale: { zero: false } };
  const layers: Record<string, unknown>[] = [];
  if (band) {
    for (const [lo, hi, colour, opacity] of [
      ["predLower", "predUpper", "#9ecae1", 0.35],
      ["confLower", "confUpper", "#3182bd", 0.35],
    ] as const) {
      layers.push({
        data: { name: "curve" },
        mark: { type: "area", opacity, color: colour },
        encoding: { x: xEnc, y: { field: lo, type: "quantitative" }, y2: { field: hi } },
      });
    }
  }
  layers.push({
    data: { name: "curve" },
    name: "curve",
    mark: { type: "line", color: "#08519c" },
    encoding: { x: xEnc, y: yEnc },
  });
  layers.push({
    data: { name: "points" },
    name: "points",
    mark: { type: "point", filled: true, color: "black", size: 30 },
    encoding: { x: xEnc, y: yEnc },
  });
  if (ecRows.length > 0) {
    layers.push({
      data: { name: "ec50" },
      mark: { type: "rule", strokeDash: [4, 3], color: "#d62728" },
      encoding: { x: { field: "x", type: "quantitative" } },
    });
    if (ecRows[0]!.lower !== null) {
      layers.push({
        data: { name: "ec50" },
        name: "ec50interval",
        mark: { type: "rule", color: "#d62728", strokeWidth: 3 },
        encoding: {
          x: { field: "lower", type: "quantitative" },
          x2: { field: "upper" },
          y: { field: "y", type: "quantitative" },
        },
      });
    }
    layers.push({
      data: { name: "ec50" },
      mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#d62728" },
      encoding: {
        x: { field: "x", type: "quantitative" },
        y: { field: "y", type: "quantitative" },
        text: { field: "label" },
      },
    });
  }
  const level = Math.round((options.level ?? doc.result.conf_level) * 100);
  const label = model.name === "formula" ? model.formula : model.name;
  return chart(
    `${yName} ~ ${label}`,
    { points, curve: curveRows, residuals, qq, ec50: ecRows },
    {
      description: band
        ? `fitted curve with ${level}% confidence (dark) and prediction (light) bands`
        : "fitted curve; no bands: the fit has no standard errors",
      vconcat: [
        { width: 520, height: 300, layer: layers },
        {
          hconcat: [
            {
              width: 240,
              height: 180,
              title: "residuals vs fitted",
              data: { name: "residuals" },
              layer: [
                {
                  name: "residuals",
                  mark: { type: "point", filled: true, color: "black", size: 20 },
                  encoding: {
                    x: { field: "fitted", type: "quantitative", scale: { zero: false } },
                    y: { field: "residual", type: "quantitative" },
                  },
                },
                { mark: { type: "rule", color: "#888" }, encoding: { y: { datum: 0 } } },
              ],
            },
            {
              width: 240,
              height: 180,
              title: "normal Q-Q",
              data: { name: "qq" },
              layer: [
                {
                  name: "qq",
                  mark: { type: "point", filled: true, color: "black", size: 20 },
                  encoding: {
                    x: { field: "theoretical", type: "quantitative", title: "normal quantile" },
                    y: { field: "sample", type: "quantitative", title: "standardised residual" },
                  },
                },
              ],
            },
          ],
        },
      ],
    },
  );
}

/** `count` x values over the data's range, evenly on the axis's scale. */
function sampleGrid(x: Float64Array, count: number, log: boolean): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    if (log && !(v > 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo < hi)) return Float64Array.of(lo);
  const a = log ? Math.log10(lo) : lo;
  const b = log ? Math.log10(hi) : hi;
  return Float64Array.from({ length: count }, (_, i) => {
    const t = a + ((b - a) * i) / (count - 1);
    return log ? 10 ** t : t;
  });
}
