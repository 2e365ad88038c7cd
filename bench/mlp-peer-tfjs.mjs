// TensorFlow.js (wasm backend, float32) side of the MLP benchmark (issue 4), run as its own
// process by mlp-run.mjs. The packages are installed on demand into a git-ignored folder (see
// mlp-run.mjs), never into the project's package.json.
// Usage: node bench/mlp-peer-tfjs.mjs bench/out/mlp-meta.json  → JSON on the last stdout line.
//
// Same training as biograd's train(): 500→256→64→1 relu, MSE (mean), tf.train.adam(1e-3, β1 0.9,
// β2 0.999, ε 1e-8), batches of 128 from a fresh permutation every epoch, the full-data loss at
// the end; same starting weights (mlp-start.f64, cast to float32). TF.js has no clipping option,
// so the global-norm clip is done by hand on the gradient list between computeGradients and
// applyGradients: N = sqrt(Σ‖g‖²), g ← g·min(1, c/(N + 1e-6)) (PyTorch's clip_grad_norm_ rule).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { lcg, readF64 } from "./data.mjs";

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const W = meta.workload;
const require = createRequire(join(meta.tfjsDir, "package.json"));
const tf = require("@tensorflow/tfjs");
require("@tensorflow/tfjs-backend-wasm");
const peakMB = () => process.resourceUsage().maxRSS / 1024;

if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend did not initialise");
await tf.ready();
const flags = {
  simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
  multithread: await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"),
};

const f32 = (a) => Float32Array.from(a);
const X = tf.tensor2d(f32(readF64(W.xPath, W.rows * W.inputs)), [W.rows, W.inputs], "float32");
const Y = tf.tensor2d(f32(readF64(W.yPath, W.rows)), [W.rows, 1], "float32");
const start = readF64(W.startPath, W.params);
const afterLoadMB = peakMB();
const widths = W.widths;

/** Fresh variables from the shared start (layout: W in×out row-major, then b, per layer). */
function makeVars() {
  const vars = [];
  let at = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const [fi, fo] = [widths[l], widths[l + 1]];
    const w = tf.variable(tf.tensor2d(f32(start.subarray(at, at + fi * fo)), [fi, fo]));
    at += fi * fo;
    const b = tf.variable(tf.tensor1d(f32(start.subarray(at, at + fo))));
    at += fo;
    vars.push(w, b);
  }
  return vars;
}
function forward(vars, x) {
  let a = x;
  const last = vars.length / 2 - 1;
  for (let l = 0; l <= last; l++) {
    const z = tf.add(tf.matMul(a, vars[2 * l]), vars[2 * l + 1]);
    a = l < last ? tf.relu(z) : z;
  }
  return a;
}
const mse = (pred, y) => tf.mean(tf.square(tf.sub(pred, y)));

function run(epochs, rng) {
  const vars = makeVars();
  const opt = tf.train.adam(W.lr, 0.9, 0.999, 1e-8);
  const n = W.rows;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const epochLosses = [];
  let clipped = 0;
  let steps = 0;
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let total = 0;
    for (let s = 0; s < n; s += W.batchSize) {
      const rows = Math.min(W.batchSize, n - s);
      const idx = tf.tensor1d(order.subarray(s, s + rows), "int32");
      const xb = tf.gather(X, idx);
      const yb = tf.gather(Y, idx);
      const { value, grads } = opt.computeGradients(() => mse(forward(vars, xb), yb), vars);
      // Global-norm clip by hand: one norm over the whole gradient list, one scale for all.
      const names = Object.keys(grads);
      const { norm, scaled } = tf.tidy(() => {
        const norm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
        const scale = tf.minimum(1, tf.div(W.maxNorm, tf.add(norm, 1e-6)));
        return { norm, scaled: Object.fromEntries(names.map((k) => [k, tf.mul(grads[k], scale)])) };
      });
      opt.applyGradients(scaled);
      if (norm.dataSync()[0] > W.maxNorm) clipped++;
      total += value.dataSync()[0] * rows;
      tf.dispose([idx, xb, yb, value, norm, grads, scaled]);
      steps++;
    }
    epochLosses.push(total / n);
  }
  const loopMs = performance.now() - t0;
  const finalLoss = tf.tidy(() => mse(forward(vars, X), Y).dataSync()[0]);
  const ms = performance.now() - t0;
  opt.dispose();
  tf.dispose(vars);
  return { ms, loopMs, epochLosses, finalLoss, steps, clipped };
}

const rng = lcg(1);
const timed = (epochs) => {
  const c0 = process.cpuUsage();
  const r = run(epochs, rng);
  const c = process.cpuUsage(c0);
  return { ...r, cpuMs: (c.user + c.system) / 1000 };
};
const cold = timed(1); // warm-up epoch (wasm compilation, XNNPACK operator setup)
const runs = Array.from({ length: meta.repeats }, () => timed(W.epochs));
const last = runs.at(-1);
const pkg = (name) => require(`${name}/package.json`).version;
console.log(
  JSON.stringify({
    peer: "tfjs-wasm",
    dtype: "float32",
    threads: flags.multithread ? "multi" : 1,
    versions: {
      node: process.version,
      tfjs: pkg("@tensorflow/tfjs"),
      "tfjs-backend-wasm": pkg("@tensorflow/tfjs-backend-wasm"),
    },
    wasm: flags,
    coldEpochMs: cold.ms,
    ms: runs.map((r) => r.ms),
    loopMs: runs.map((r) => r.loopMs),
    cpuMs: runs.map((r) => r.cpuMs),
    steps: last.steps,
    clippedSteps: last.clipped,
    epochLosses: last.epochLosses,
    finalLoss: last.finalLoss,
    tensorsLeft: tf.memory().numTensors,
    memory: { afterLoadMB, peakMB: peakMB() },
  }),
);
