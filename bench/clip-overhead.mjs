// Per-step cost of each clip on a 1,000,000-parameter gradient, against a plain sgd/adam step,
// with PyTorch's clip_grad_norm_ / clip_grad_value_ on the same size in the same run.
// On demand only, never in CI:
//   npm run build && node bench/clip-overhead.mjs [--samples=N] [--rounds=N] [--threads=N]
// Measures dist/ (BENCH_DIST=/path/to/dist for another build). See bench/CLIP-OVERHEAD.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const flag = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const samples = flag("samples", 41); // timed steps per case and round
const rounds = flag("rounds", 3); // the cases run round-robin, so machine load spreads over all
const torchThreads = flag("threads", 1);

const dist = process.env.BENCH_DIST ?? join(here, "..", "dist");
const need = ["index.js", "transforms/clip-auto.js", "transforms/checkpoint.js"];
if (!need.every((f) => existsSync(join(dist, f)))) {
  console.error(`bench: ${dist} lacks the adaptive clips; run \`npm run build\` first.`);
  process.exit(1);
}
const load = (f) => import(pathToFileURL(join(dist, f)).href);
const {
  adam,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  createContext,
  createLayout,
  resetStep,
  sgd,
} = await load("index.js");
const { adaptiveClip } = await load("transforms/clip-adaptive-unitwise.js");
const { autoClip } = await load("transforms/clip-auto.js");
const { zClip } = await load("transforms/clip-zscore.js");
const { clipByBlockRms } = await load("transforms/clip-by-block-rms.js");

// --- the workload: 10 dense-layer-like tensors of (in, out) = (1000, 100), float64.
const TENSORS = 10;
const ROWS = 1000;
const COLS = 100;
const layout = createLayout(
  Array.from({ length: TENSORS }, (_, k) => ({ name: `W${k}`, shape: [ROWS, COLS] })),
);
const N = layout.size;
let seed = 12345;
const uniform = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
const source = Float64Array.from({ length: N }, normal); // ‖source‖ ≈ 1000
const params = Float64Array.from({ length: N }, () => 0.05 * normal());
// The gradient of each step is source·f with f cycling, so the norm history varies (AutoClip,
// ZClip see a distribution, not a constant); every case pays the same refill.
const FACTORS = [1, 1.7, 0.6, 3.1, 0.9, 1.2, 0.8, 2.2];

// Thresholds that make every clip act on most steps (‖g‖ ≈ 600–3100, |g_i| up to ≈ 15).
const CASES = {
  "refill only (baseline)": null,
  "sgd step": () => sgd({ lr: 0.01 }),
  "adam step": () => adam({ lr: 0.001 }),
  "value (clipByValue 0.5)": () => clipByValue({ max: 0.5 }),
  "per-tensor L2 (clipByNorm 1)": () => clipByNorm({ maxNorm: 1 }),
  "global L2 (clipByGlobalNorm 1)": () => clipByGlobalNorm({ maxNorm: 1 }),
  "AGC 0.01, columns (default)": () => adaptiveClip({ clipping: 0.01 }),
  "AGC 0.01, rows": () => adaptiveClip({ clipping: 0.01, axis: "rows" }),
  "AutoClip p10, history 1000": () => autoClip(),
  "ZClip defaults": () => zClip(),
  "block RMS 0.1": () => clipByBlockRms({ threshold: 0.1 }),
};

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const grad = new Float64Array(N);
const ctx = createContext(layout, params);
const prepared = Object.fromEntries(
  Object.entries(CASES).map(([name, make]) => {
    const t = make ? make() : null;
    return [name, { t, state: t ? t.init(layout) : null, step: 0, times: [], clipped: 0 }];
  }),
);

function oneStep(c) {
  const f = FACTORS[c.step % FACTORS.length];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) grad[i] = source[i] * f;
  if (c.t) {
    resetStep(ctx, c.step);
    c.t.update(grad, c.state, ctx);
  }
  const dt = performance.now() - t0;
  c.step++;
  return dt;
}

// Warm-up: JIT every path, fill AutoClip's history and ZClip's warm-up (25 steps).
for (const c of Object.values(prepared)) for (let i = 0; i < 60; i++) oneStep(c);
for (let r = 0; r < rounds; r++) {
  for (const c of Object.values(prepared)) {
    for (let i = 0; i < samples; i++) {
      const dt = oneStep(c);
      c.times.push(dt);
      if (ctx.clipped) c.clipped++;
    }
  }
}

// Allocation check: garbage collections while each case runs 300 more steps with nothing else
// going on (no timers, no arrays growing). A step that allocates nothing triggers none.
const gcs = [];
const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
observer.observe({ entryTypes: ["gc"] });
const windows = {};
for (const [name, c] of Object.entries(prepared)) {
  const from = performance.now();
  for (let i = 0; i < 300; i++) oneStep(c);
  windows[name] = [from, performance.now()];
}
await new Promise((resolve) => setTimeout(resolve, 200));
observer.disconnect();
const gcCount = (name) =>
  gcs.filter((e) => e.startTime >= windows[name][0] && e.startTime <= windows[name][1]).length;

const base = median(prepared["refill only (baseline)"].times);
const net = (name) => Math.max(median(prepared[name].times) - base, 0);
const sgdNet = net("sgd step");
const adamNet = net("adam step");

// --- PyTorch, same size and thresholds, its own process.
let torch = null;
const py = "/usr/bin/python3";
const probe = existsSync(py) ? spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }) : null;
if (probe?.status !== 0) {
  console.log("torch: not installed");
} else {
  const res = spawnSync(
    py,
    [
      join(here, "clip-overhead-torch.py"),
      JSON.stringify({
        tensors: TENSORS,
        rows: ROWS,
        cols: COLS,
        samples: samples * rounds,
        threads: torchThreads,
        factors: FACTORS,
      }),
    ],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (res.status !== 0) console.log(`torch: failed (${res.stderr.trim().split("\n").at(-1)})`);
  else torch = JSON.parse(res.stdout.trim().split("\n").at(-1));
}

// --- report.
const TORCH_OF = {
  "refill only (baseline)": "refill",
  "sgd step": "sgd",
  "adam step": "adam",
  "value (clipByValue 0.5)": "clip_grad_value_",
  "global L2 (clipByGlobalNorm 1)": "clip_grad_norm_",
};
const fmt = (ms) => (ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const rows = [];
console.log(
  `\n1,000,000 float64 parameters as ${TENSORS} tensors (${ROWS} x ${COLS}); medians of ${samples * rounds} steps; ` +
    `net = step - refill (${fmt(base)} ms)\n`,
);
console.log(
  "| case | biograd ms (net) | x sgd step | x adam step | clipped steps | GCs in 300 steps | torch ms (net) | torch / biograd |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const name of Object.keys(CASES)) {
  const c = prepared[name];
  const ms = name.startsWith("refill") ? base : net(name);
  const tName = TORCH_OF[name];
  const tMs = torch && tName ? (tName === "refill" ? torch.refill : torch.net[tName]) : null;
  const isClip = c.t && !name.endsWith("step");
  const row = {
    name,
    ms,
    xSgd: c.t ? ms / sgdNet : null,
    xAdam: c.t ? ms / adamNet : null,
    clippedFraction: isClip ? c.clipped / c.times.length : null,
    torchMs: tMs,
    torchOverBiograd: tMs !== null && !name.startsWith("refill") ? tMs / ms : null,
    gcIn300Steps: gcCount(name),
  };
  rows.push(row);
  const cell = (v, d = 2) => (v === null || v === undefined ? "" : v.toFixed(d));
  console.log(
    `| ${name} | ${fmt(ms)} | ${cell(row.xSgd)} | ${cell(row.xAdam)} | ${isClip ? `${Math.round(100 * row.clippedFraction)}%` : ""} | ${row.gcIn300Steps} | ${tMs === null ? "" : fmt(tMs)} | ${cell(row.torchOverBiograd)} |`,
  );
}
if (torch) {
  console.log(
    `\ntorch ${torch.version}, ${torch.threads} thread(s); torch ratios within torch: clip_grad_norm_ = ` +
      `${(torch.net.clip_grad_norm_ / torch.net.sgd).toFixed(2)} x its sgd step, ` +
      `${(torch.net.clip_grad_norm_ / torch.net.adam).toFixed(2)} x its adam step; ` +
      `clip_grad_value_ = ${(torch.net.clip_grad_value_ / torch.net.sgd).toFixed(2)} x sgd`,
  );
}
const out = join(here, "out");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "clip-overhead.json"),
  `${JSON.stringify({ node: process.version, samples, rounds, baseMs: base, rows, torch }, null, 2)}\n`,
);
