// Deterministic data for the MLP benchmark (issue 4): 10,000 rows × 500 standard-normal
// features, a regression target, and one set of starting weights that every peer trains from.
// Same LCG and raw little-endian float64 files as data.mjs, so every peer reads identical bytes.
import { join } from "node:path";
import { lcg, writeF64 } from "./data.mjs";

/** The workload of issue 4: MLP 500→256→64→1 (relu), batch 128, adam 1e-3 + clip 1.0, 5 epochs. */
export const MLP_WORKLOAD = {
  rows: 10_000,
  inputs: 500,
  hidden: [256, 64],
  outputs: 1,
  activation: "relu",
  batchSize: 128,
  lr: 1e-3,
  maxNorm: 1.0,
  epochs: 5,
};

/**
 * x ~ N(0, 1), rows × p row-major. The target mixes a linear part and a few non-linear ones,
 * so the network has something to learn and the loss falls over the five epochs:
 *   y = (x·u)/‖u‖ + tanh(x₀ + x₁) + relu(x₂)·x₃ + 0.5·sin(2x₄) + N(0, 0.1²)
 * with u_j = ±(1 + (j mod 7)/7) for the first 100 features and 0 after.
 */
export function mlpData(rows = MLP_WORKLOAD.rows, p = MLP_WORKLOAD.inputs) {
  const g = lcg(2024);
  const u = Array.from({ length: p }, (_, j) =>
    j < 100 ? (j % 2 ? -1 : 1) * (1 + (j % 7) / 7) : 0,
  );
  const uNorm = Math.hypot(...u);
  const x = new Float64Array(rows * p);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = i * p;
    let lin = 0;
    for (let j = 0; j < p; j++) {
      const v = g.normal();
      x[row + j] = v;
      lin += u[j] * v;
    }
    const [x0, x1, x2, x3, x4] = x.subarray(row, row + 5);
    y[i] = lin / uNorm + Math.tanh(x0 + x1) + Math.max(x2, 0) * x3 + 0.5 * Math.sin(2 * x4);
    y[i] += 0.1 * g.normal();
  }
  return { rows, p, x, y };
}

/**
 * Starting parameters in biograd's layout order (dense1.W [in, out] row-major, dense1.b,
 * dense2.W, dense2.b, dense3.W, dense3.b): He-uniform for the relu layers, Glorot-uniform
 * for the linear output layer, biases 0 — the scheme biograd's initNetwork uses, drawn from
 * the LCG so the Python and TF.js peers start from exactly the same weights.
 */
export function mlpStart(widths) {
  const g = lcg(99);
  const parts = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fanIn, fanOut] = [widths[l], widths[l + 1]];
    const last = l + 2 === widths.length;
    const bound = last ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
    const w = new Float64Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = bound * (2 * g.uniform() - 1);
    parts.push(w, new Float64Array(fanOut));
  }
  const out = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Writes mlp-x.f64, mlp-y.f64, mlp-start.f64 into `dir`; returns the workload description. */
export function writeMlpData(dir, rows = MLP_WORKLOAD.rows) {
  const w = { ...MLP_WORKLOAD, rows };
  const { x, y } = mlpData(rows, w.inputs);
  const widths = [w.inputs, ...w.hidden, w.outputs];
  const start = mlpStart(widths);
  const paths = {
    xPath: join(dir, "mlp-x.f64"),
    yPath: join(dir, "mlp-y.f64"),
    startPath: join(dir, "mlp-start.f64"),
  };
  writeF64(paths.xPath, x);
  writeF64(paths.yPath, y);
  writeF64(paths.startPath, start);
  let yMean = 0;
  for (const v of y) yMean += v / rows;
  let yVar = 0;
  for (const v of y) yVar += (v - yMean) ** 2 / rows;
  return { ...w, widths, params: start.length, ...paths, yVar };
}
