// A digest of everything train() returns and reports, over ~35 varied configurations, for
// checking that a speed change leaves results bit for bit as they were: run it against two
// builds and compare the printed hashes.
//   node bench/seed-digest.mjs [dist]   (default ./dist; VERBOSE=1 prints one hash per case)
// Covered: value / norm / global-norm (L2, L∞) / adaptive / auto / z / block-RMS clips; SGD
// with and without (Nesterov) momentum, Adam, AdamW, schedules; diagnostics on, off and with
// their own settings (exploding, vanishing, non-finite warnings, the clip advice); history
// thinning; loss threshold, patience, validation early stopping; keepBest, stepBack,
// relativeImprovement; NaN gradients under the error, skip and zero policies and the guard;
// mini-batches; metrics, onEpoch / onLog / onWarning; checkpoints and a resumed run; an MLP.
// Numbers are hashed by their bits (so −0, NaN and ±Infinity count), objects key by key in
// their own order, typed arrays by their bytes.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dist = resolve(process.argv[2] ?? "dist");
const lib = await import(pathToFileURL(resolve(dist, "index.js")).href);
const {
  adam,
  adamw,
  adaptiveClip,
  autoClip,
  chain,
  clipByBlockRms,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  createLayout,
  createRng,
  exponentialDecay,
  freeze,
  linearModel,
  mlpModel,
  saveState,
  sgd,
  stepDecay,
  train,
  zClip,
} = lib;
// (Not exported by the package: the CLI's `--guard` builds it.)
const { guardNonFinite } = await import(pathToFileURL(resolve(dist, "transforms/guard.js")).href);

const f64 = new Float64Array(1);
const bytes = new Uint8Array(f64.buffer);

/** Feeds `v` into the hash: type tags, numbers by bits, containers element by element. */
function feed(h, v) {
  if (v === null) return h.update("n");
  if (v === undefined) return h.update("u");
  switch (typeof v) {
    case "number":
      f64[0] = v;
      return h.update("d").update(bytes);
    case "string":
      return h.update(`s${v.length}:`).update(v);
    case "boolean":
      return h.update(v ? "T" : "F");
    case "function":
      return h.update("f");
    case "object":
      break;
    default:
      return h.update(`?${String(v)}`);
  }
  if (ArrayBuffer.isView(v)) {
    h.update(`${v.constructor.name}${v.length}:`);
    return h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  if (Array.isArray(v)) {
    h.update(`[${v.length}`);
    for (const x of v) feed(h, x);
    return h.update("]");
  }
  h.update("{");
  for (const k of Object.keys(v)) {
    h.update(`${k}=`);
    feed(h, v[k]);
  }
  return h.update("}");
}

/** The result's every field but the timings (wall-clock) and the layout (echoed input). */
function resultFields(r) {
  return {
    params: r.params,
    named: r.named,
    stopReason: r.stopReason,
    epochs: r.epochs,
    steps: r.steps,
    history: r.history,
    historyStride: r.historyStride,
    epochsRecorded: r.epochsRecorded,
    stepsTakenBack: r.stepsTakenBack,
    finalLoss: r.finalLoss,
    bestEpoch: r.bestEpoch,
    warnings: r.warnings,
    state: saveState(r.state),
    keys: Object.keys(r),
  };
}

function lineData(n, p = 1, seed = 1, noise = 0.1) {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * p }, () => 2 * rng.uniform() - 0.5);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 4;
    for (let j = 0; j < p; j++) s += (3 - j) * x[i * p + j];
    y[i] = s + noise * rng.normal();
  }
  const features = Array.from({ length: p }, (_, j) => `x${j}`);
  return { features, target: "y", rows: n, x, y, source: "digest" };
}

/** The bench's seed data: y = 2x + 1 + noise, 100 points (as bench/data.mjs, by its own rng). */
const seed = lineData(100, 1, 7, 0.3);
const multi = lineData(64, 3, 2);

/** A model whose gradient turns NaN at the epochs in `bad` (a step of every epoch). */
function nanModel(bad) {
  const inner = linearModel(lineData(30, 2, 5));
  let calls = 0;
  return {
    ...inner,
    kind: "nan-at",
    lossAndGrad(params, grad, rows) {
      const loss = inner.lossAndGrad(params, grad, rows);
      if (bad.has(calls++)) grad[1] = Number.NaN;
      return loss;
    },
  };
}

/** Gradients that stay tiny (vanishing) at a loss that never moves. */
function flatModel() {
  return {
    kind: "flat",
    layout: createLayout([
      { name: "a", shape: [2] },
      { name: "c", shape: [] },
    ]),
    rows: 1,
    init: (p) => p.fill(0),
    lossAndGrad: (_p, g) => {
      g.set([1e-13, 2e-13, 1e-14]);
      return 0.5;
    },
  };
}

/** A loss that is finite near the start and NaN beyond |θ| > 3 (step back's case). */
function cliffModel() {
  return {
    kind: "cliff",
    layout: createLayout([{ name: "t", shape: [2] }]),
    rows: 1,
    init: (p) => p.fill(0.5),
    lossAndGrad: (p, g) => {
      g[0] = 2 * (p[0] - 5);
      g[1] = 2 * (p[1] + 5);
      const l = (p[0] - 5) ** 2 + (p[1] + 5) ** 2;
      return Math.abs(p[0]) > 3 || Math.abs(p[1]) > 3 ? Number.NaN : l;
    },
  };
}

/**
 * Gradients of a steady size that wobble, then grow 3× per call from call `from` on (an
 * explosion late in a run, after the history has thinned); NaN entries 3 calls later.
 */
function surgeModel(from) {
  let calls = 0;
  return {
    kind: "surge",
    layout: createLayout([
      { name: "a", shape: [2] },
      { name: "c", shape: [] },
    ]),
    rows: 4,
    init: (p) => p.fill(0.1),
    lossAndGrad: (p, g, rows) => {
      const k = calls++;
      const s = (k < from ? 1 + 0.5 * Math.sin(k) : 3 ** (k - from)) * (rows.end - rows.start);
      g[0] = s * (0.3 + p[0]);
      g[1] = k > from + 3 && k < from + 6 ? Number.NaN : -s * 0.2;
      g[2] = s * 0.01 * (k % 7);
      return 1 + p[0] * p[0];
    },
  };
}

const start2 = () => Float64Array.of(0.3, -0.2);
const vc = (max = 0.1, more = {}) => clipByValue({ max, ...more });

/** name → () => { result, extra } (extra: what callbacks saw). */
const CASES = {
  "seed value+sgd": () => ({
    r: train(linearModel(seed), {
      transform: chain(vc(), sgd({ lr: 0.01 })),
      epochs: 1000,
      start: start2(),
    }),
  }),
  "seed value+sgd, diagnostics off": () => ({
    r: train(linearModel(seed), {
      transform: chain(vc(), sgd({ lr: 0.01 })),
      epochs: 1000,
      start: start2(),
      diagnostics: false,
    }),
  }),
  "seed faithful (freeze b)": () => ({
    r: train(linearModel(seed), {
      transform: freeze(["b"], chain(vc(), sgd({ lr: 0.01 }))),
      epochs: 1000,
      start: start2(),
    }),
  }),
  "value asymmetric + sgd momentum": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByValue({ min: -0.05, max: 0.2 }), sgd({ lr: 0.02, momentum: 0.9 })),
      epochs: 400,
    }),
  }),
  "value + sgd nesterov, step decay": () => ({
    r: train(linearModel(multi), {
      transform: chain(
        vc(0.5),
        sgd({ lr: stepDecay({ lr: 0.05, every: 50, gamma: 0.5 }), momentum: 0.5, nesterov: true }),
      ),
      epochs: 300,
    }),
  }),
  "value + sgd exponential decay (fused), multi": () => ({
    r: train(linearModel(multi), {
      transform: chain(vc(1), sgd({ lr: exponentialDecay({ lr: 0.1, gamma: 0.99 }) })),
      epochs: 500,
    }),
  }),
  "value huge bound + sgd (unfused path)": () => ({
    r: train(linearModel(seed), {
      transform: chain(vc(1e300), sgd({ lr: 0.01 })),
      epochs: 200,
      start: start2(),
    }),
  }),
  "global-norm + adam": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.05 })),
      epochs: 500,
    }),
  }),
  "global-norm + adam, diagnostics off": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.05 })),
      epochs: 500,
      diagnostics: false,
    }),
  }),
  "global-norm linf + adamw": () => ({
    r: train(linearModel(multi), {
      transform: chain(
        clipByGlobalNorm({ maxNorm: 0.5, norm: "linf" }),
        adamw({ lr: 0.05, weightDecay: 0.01 }),
      ),
      epochs: 300,
    }),
  }),
  "per-tensor norm + sgd": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByNorm({ maxNorm: 0.7 }), sgd({ lr: 0.05 })),
      epochs: 300,
    }),
  }),
  "adaptive + sgd": () => ({
    r: train(linearModel(multi), {
      transform: chain(adaptiveClip({ clipping: 0.05 }), sgd({ lr: 0.05 })),
      epochs: 300,
    }),
  }),
  "auto + adam": () => ({
    r: train(linearModel(multi), {
      transform: chain(autoClip({ percentile: 50, historySize: 20 }), adam({ lr: 0.05 })),
      epochs: 300,
    }),
  }),
  "z-clip + sgd": () => ({
    r: train(linearModel(multi), {
      transform: chain(zClip({ warmupSteps: 5 }), sgd({ lr: 0.05 })),
      epochs: 300,
    }),
  }),
  "block-rms + sgd": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByBlockRms({ threshold: 0.3 }), sgd({ lr: 0.05 })),
      epochs: 300,
    }),
  }),
  "exploding, no clip": () => {
    const seen = [];
    const r = train(linearModel(lineData(50)), {
      transform: sgd({ lr: 5 }),
      epochs: 1000,
      onWarning: (w) => seen.push(w),
    });
    return { r, extra: seen };
  },
  "exploding under a value clip (advice)": () => ({
    r: train(linearModel(lineData(50)), {
      transform: chain(vc(1e6), sgd({ lr: 5 })),
      epochs: 200,
    }),
  }),
  "exploding, own diagnostics settings": () => ({
    r: train(linearModel(lineData(50)), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1e9 }), sgd({ lr: 1.5 })),
      epochs: 300,
      diagnostics: { explodeFactor: 20, window: 3, vanishBelow: 1e-6, vanishEpochs: 2 },
    }),
  }),
  "exploding after a resume (detector state restored)": () => {
    const saved = [];
    const opts = {
      transform: sgd({ lr: 1.1 }),
      epochs: 150,
      diagnostics: { explodeFactor: 1e5, window: 40 },
      checkpoint: { every: 4, save: (c) => saved.push(JSON.parse(JSON.stringify(c))) },
    };
    const r = train(linearModel(lineData(50)), opts);
    const resumed = train(linearModel(lineData(50)), {
      ...opts,
      checkpoint: undefined,
      diagnostics: { explodeFactor: 1e5, window: 30 },
      resumeFrom: saved[2],
    });
    return { r, extra: [saved.slice(0, 4), resultFields(resumed)] };
  },
  "late explosion, thinned history, tail ring wrapped, checkpoints": () => {
    const saved = [];
    const r = train(surgeModel(170), {
      transform: sgd({ lr: 1e-3 }),
      epochs: 260,
      historyLimit: 16,
      historyTail: 12,
      checkpoint: { every: 37, save: (c) => saved.push(JSON.parse(JSON.stringify(c))) },
    });
    return { r, extra: saved };
  },
  "late explosion, tail shorter than the window": () => ({
    r: train(surgeModel(90), {
      transform: chain(vc(1e9, { onNonFinite: "skip" }), sgd({ lr: 1e-3 })),
      epochs: 200,
      historyLimit: 8,
      historyTail: 3,
    }),
  }),
  "late explosion, mini-batches, window 25": () => ({
    r: train(surgeModel(140), {
      transform: sgd({ lr: 1e-3 }),
      epochs: 60,
      batchSize: 1,
      seed: 9,
      historyLimit: 4,
      historyTail: 30,
      diagnostics: { window: 25, explodeFactor: 40 },
    }),
  }),
  "slow growth (no warning), window 4": () => ({
    r: train(linearModel(lineData(50)), {
      transform: sgd({ lr: 1.02 }),
      epochs: 120,
      diagnostics: { explodeFactor: 1e6, window: 4 },
    }),
  }),
  vanishing: () => ({ r: train(flatModel(), { transform: sgd({ lr: 0.1 }), epochs: 20 }) }),
  "vanishing with a window of 2, converged case": () => ({
    r: train(linearModel(lineData(20, 1, 3, 0)), {
      transform: sgd({ lr: 0.3 }),
      epochs: 400,
      diagnostics: { window: 2, vanishBelow: 1e-8, vanishEpochs: 3 },
    }),
  }),
  "history thinning": () => ({
    r: train(linearModel(seed), {
      transform: chain(vc(), sgd({ lr: 0.01 })),
      epochs: 1000,
      start: start2(),
      historyLimit: 8,
      historyTail: 5,
    }),
  }),
  "history thinning, diagnostics off": () => ({
    r: train(linearModel(seed), {
      transform: chain(vc(), sgd({ lr: 0.01 })),
      epochs: 777,
      start: start2(),
      historyLimit: 16,
      historyTail: 3,
      diagnostics: false,
    }),
  }),
  "loss threshold": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByGlobalNorm({ maxNorm: 2 }), adam({ lr: 0.1 })),
      epochs: 2000,
      lossThreshold: 0.02,
    }),
  }),
  "patience + minDelta": () => ({
    r: train(linearModel(multi), {
      transform: chain(vc(0.2), sgd({ lr: 0.05 })),
      epochs: 3000,
      patience: 20,
      minDelta: 1e-6,
    }),
  }),
  "validation early stop, restoreBest": () => {
    const held = linearModel(lineData(40, 3, 9, 0.5));
    const grad = new Float64Array(4);
    const rows = { order: null, start: 0, end: 40 };
    return {
      r: train(linearModel(multi), {
        transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.2 })),
        epochs: 2000,
        validation: { loss: (p) => held.lossAndGrad(p, grad, rows), patience: 15, minDelta: 1e-4 },
      }),
    };
  },
  "keepBest + stepBack + relativeImprovement": () => ({
    r: train(cliffModel(), {
      transform: sgd({ lr: 0.6 }),
      epochs: 200,
      keepBest: true,
      stepBack: true,
      relativeImprovement: { relTol: 1e-6, patience: 10 },
    }),
  }),
  "keepBest full batch clip": () => ({
    r: train(linearModel(seed), {
      transform: chain(vc(), sgd({ lr: 0.01 })),
      epochs: 300,
      start: start2(),
      keepBest: true,
    }),
  }),
  "NaN gradients, value clip skip": () => ({
    r: train(nanModel(new Set([3, 4, 50])), {
      transform: chain(vc(0.5, { onNonFinite: "skip" }), sgd({ lr: 0.05 })),
      epochs: 100,
    }),
  }),
  "NaN gradients, value clip zero": () => ({
    r: train(nanModel(new Set([0, 7, 8, 9])), {
      transform: chain(vc(0.5, { onNonFinite: "zero" }), sgd({ lr: 0.05 })),
      epochs: 100,
    }),
  }),
  "NaN gradients, global-norm zero + adam": () => ({
    r: train(nanModel(new Set([2, 11])), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1, onNonFinite: "zero" }), adam({ lr: 0.05 })),
      epochs: 100,
    }),
  }),
  "NaN gradients, guard skip, stopOnSkippedStep": () => ({
    r: train(nanModel(new Set([12])), {
      transform: chain(guardNonFinite({ policy: "skip" }), vc(0.5), sgd({ lr: 0.05 })),
      epochs: 100,
      stopOnSkippedStep: true,
    }),
  }),
  "NaN gradients, guard zero, mini-batch": () => ({
    r: train(nanModel(new Set([5, 6, 40, 41, 42])), {
      transform: chain(guardNonFinite({ policy: "zero" }), vc(0.5), sgd({ lr: 0.05 })),
      epochs: 30,
      batchSize: 7,
      seed: 4,
    }),
  }),
  "mini-batch value+sgd": () => ({
    r: train(linearModel(multi), {
      transform: chain(vc(0.3), sgd({ lr: 0.02 })),
      epochs: 60,
      batchSize: 16,
      seed: 3,
    }),
  }),
  "mini-batch global-norm+adam, diagnostics off": () => ({
    r: train(linearModel(multi), {
      transform: chain(clipByGlobalNorm({ maxNorm: 0.5 }), adam({ lr: 0.02 })),
      epochs: 60,
      batchSize: 10,
      seed: 5,
      diagnostics: false,
    }),
  }),
  "metrics, onEpoch, onLog": () => {
    const seen = [];
    const r = train(linearModel(multi), {
      transform: chain(vc(0.3), sgd({ lr: 0.02 })),
      epochs: 50,
      metrics: (p) => ({ w0: p[0], sum: p[0] + p[1] }),
      onEpoch: (rec) => seen.push(["e", rec]),
      onLog: (rec) => seen.push(["l", rec]),
      logEvery: 7,
    });
    return { r, extra: seen };
  },
  "checkpoints and a resumed run": () => {
    const saved = [];
    const opts = {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.05 })),
      epochs: 120,
      batchSize: 20,
      seed: 2,
      historyLimit: 8,
      historyTail: 4,
      checkpoint: { every: 25, save: (c) => saved.push(JSON.parse(JSON.stringify(c))) },
    };
    const r = train(linearModel(multi), opts);
    const resumed = train(linearModel(multi), {
      ...opts,
      checkpoint: undefined,
      resumeFrom: saved[1],
    });
    return { r, extra: [saved, resultFields(resumed)] };
  },
  "interrupted by a signal": () => {
    const ac = new AbortController();
    const saved = [];
    const r = train(linearModel(seed), {
      transform: chain(vc(), sgd({ lr: 0.01 })),
      epochs: 500,
      start: start2(),
      onEpoch: (rec) => {
        if (rec.epoch === 41) ac.abort();
      },
      signal: ac.signal,
      checkpoint: { save: (c) => saved.push(JSON.parse(JSON.stringify(c))) },
    });
    return { r, extra: saved };
  },
  "mlp, global-norm + adam": () => {
    const d = lineData(48, 3, 11, 0.2);
    return {
      r: train(mlpModel(d, { spec: "mlp:6,4:tanh", seed: 1 }), {
        transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.01 })),
        epochs: 80,
        batchSize: 16,
        seed: 1,
      }),
    };
  },
  "mlp, adaptive + sgd momentum": () => {
    const d = lineData(48, 3, 12, 0.2);
    return {
      r: train(mlpModel(d, { spec: "mlp:5:relu", seed: 2 }), {
        transform: chain(adaptiveClip({ clipping: 0.1 }), sgd({ lr: 0.05, momentum: 0.9 })),
        epochs: 80,
      }),
    };
  },
};

const total = createHash("sha256");
const verbose = process.env.VERBOSE === "1";
for (const [name, run] of Object.entries(CASES)) {
  let out;
  try {
    const { r, extra } = run();
    out = { result: resultFields(r), extra };
  } catch (e) {
    out = { error: String(e?.message ?? e) };
  }
  const h = feed(createHash("sha256"), out).digest("hex");
  total.update(`${name}\n${h}\n`);
  if (verbose) {
    const r = out.result;
    const what = r
      ? `${r.stopReason} ${r.epochs} ep, ${r.history.length} rows, warnings [${r.warnings.map((w) => `${w.kind}@${w.epoch}`)}]`
      : `error: ${out.error}`;
    console.log(`${h.slice(0, 16)}  ${name}: ${what}`);
  }
}
console.log(`${total.digest("hex")}  ${Object.keys(CASES).length} cases, ${dist}`);
