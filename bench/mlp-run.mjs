// MLP training benchmark (issue 4): biograd vs PyTorch (CPU, float64/float32) vs TensorFlow.js
// (wasm backend). On demand only, never in CI.
//   npm run build && node bench/mlp-run.mjs [--rounds=2 --repeats=2 --install --rows=N --with-js]
//   [--only=biograd,tfjs,torch-float64-openblas]   (a subset of the peers, e.g. on a busy machine)
// MLP 500→256→64→1 (relu), MSE, batch 128, adam 1e-3 + global-norm clip 1.0, 5 epochs, on
// 10,000 synthetic rows written once to bench/out/ (mlp-data.mjs). Every peer is its own process
// on the same files (so peak RSS is per peer); prints medians, samples/s and ratios, and writes
// bench/out/mlp-results.json and bench/out/mlp-results.md. biograd runs its WebAssembly SIMD GEMM
// (src/nn/kernels/gemm-wasm.ts) where the runtime has it; --with-js adds a row for the same build
// with BIOGRAD_GEMM=js (the scalar JS kernel, the fallback), so both are measured in one run. The
// "biograd float32" row is the same build with mlpModel's dtype "float32" (f32x4 products); its
// ratios against the float32 peers are printed separately (the targets are float64's). The
// "biograd, 2 threads" row splits each mini-batch over two threads (the targets say "2 threads
// each"; the torch rows use 2 BLAS threads); its per-round ratios are printed with the targets.
// See bench/README.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMlpData } from "./mlp-data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "out");
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const install = process.argv.includes("--install") || process.env.BENCH_INSTALL === "1";
const rounds = Number(flag("rounds") ?? 2);
const repeats = Number(flag("repeats") ?? 2); // timed 5-epoch runs per peer and round
const rows = Number(flag("rows") ?? 10_000);
const withJs = process.argv.includes("--with-js");
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const dist = resolve(process.env.BENCH_DIST ?? join(here, "..", "dist"));
if (!existsSync(join(dist, "nn", "index.js"))) {
  console.error(`bench: ${dist}/nn/index.js is missing; run \`npm run build\` first.`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });

// --- data, written once per run; every peer reads exactly these bytes.
const t0 = performance.now();
const workload = writeMlpData(out, rows);
console.error(
  `data: ${rows} × ${workload.inputs} rows, ${workload.params} parameters, written in ${(performance.now() - t0).toFixed(0)} ms`,
);

// --- TF.js: installed on demand into a git-ignored folder, never into package.json.
const tfjsDir = join(out, "mlp-tfjs");
const tfjsPackages = ["@tensorflow/tfjs@4.22.0", "@tensorflow/tfjs-backend-wasm@4.22.0"];
const hasTfjs = () =>
  existsSync(join(tfjsDir, "node_modules", "@tensorflow", "tfjs-backend-wasm", "package.json"));
if (!hasTfjs()) {
  console.error(`tfjs: installing ${tfjsPackages.join(" ")} into ${tfjsDir} …`);
  mkdirSync(tfjsDir, { recursive: true });
  spawnSync(
    "npm",
    ["install", "--prefix", tfjsDir, "--no-save", "--no-audit", "--no-fund", ...tfjsPackages],
    { stdio: "inherit" },
  );
}
const withTfjs = hasTfjs();
if (!withTfjs) console.error("tfjs: not installed (npm install failed); skipping TF.js");

// --- PyTorch: Debian's python3-torch lives under /usr/bin/python3, not the pyenv python3.
const hasTorch = (py) => spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
const torchPython = () => ["python3", "/usr/bin/python3"].find(hasTorch);
const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
let torchPy = torchPython();
if (!torchPy && install) {
  console.error("torch: not installed; apt-get install -y python3-torch …");
  spawnSync("apt-get", ["update"], { stdio: "inherit", env: aptEnv });
  spawnSync("apt-get", ["install", "-y", "python3-torch"], { stdio: "inherit", env: aptEnv });
  torchPy = torchPython();
}
if (!torchPy) {
  console.error("torch: not installed (run with --install or BENCH_INSTALL=1 to apt-get it)");
}

// Debian's torch links libblas.so.3, which on a stock system is the reference (Netlib) BLAS:
// its GEMM is unblocked Fortran. The extra "+ OpenBLAS" rows run the same torch with
// Debian's libopenblas0-pthread in front, unpacked (dpkg -x) into bench/out only, through
// LD_LIBRARY_PATH: the system's BLAS alternative is not touched. Fetched only with --install.
const obRoot = join(out, "mlp-openblas");
const obLib = join(obRoot, "usr", "lib", "x86_64-linux-gnu", "openblas-pthread");
const hasOpenBlas = () => existsSync(join(obLib, "libblas.so.3"));
if (torchPy && !hasOpenBlas() && install) {
  console.error("openblas: apt-get download libopenblas0-pthread; dpkg -x into bench/out …");
  mkdirSync(obRoot, { recursive: true });
  spawnSync("apt-get", ["update"], { stdio: "inherit", env: aptEnv });
  spawnSync("apt-get", ["download", "libopenblas0-pthread"], {
    cwd: obRoot,
    stdio: "inherit",
    env: aptEnv,
  });
  spawnSync("sh", ["-c", "dpkg -x libopenblas0-pthread_*.deb ."], {
    cwd: obRoot,
    stdio: "inherit",
  });
}
const withOpenBlas = torchPy && hasOpenBlas();
if (torchPy && !withOpenBlas) {
  console.error("openblas: not fetched (run with --install for the torch + OpenBLAS rows)");
}

const meta = { workload, repeats, tfjsDir };
const metaPath = join(out, "mlp-meta.json");
writeFileSync(metaPath, JSON.stringify(meta, null, 2));

// The shell may pin OpenBLAS to a core type / L2 size; the OpenBLAS rows get a clean env so
// OpenBLAS picks its own kernel (as run.mjs does for numpy). The peer reports the core name.
const blasVars = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !blasVars.includes(k)),
);
const obEnv = {
  ...cleanEnv,
  LD_LIBRARY_PATH: [obLib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
  MLP_BLAS: "openblas",
};
const node = process.execPath;
// Each biograd row says its dtype and threads itself: none inherits them from the shell.
const biogradEnv = { ...process.env, BENCH_DIST: dist, MLP_DTYPE: "float64", MLP_THREADS: "1" };
const peers = [
  {
    name: "biograd",
    label: "biograd",
    cmd: node,
    args: [join(here, "mlp-peer-biograd.mjs")],
    env: biogradEnv,
  },
  {
    name: "biograd-float32",
    label: "biograd float32 products (dtype float32)",
    cmd: node,
    args: [join(here, "mlp-peer-biograd.mjs")],
    env: { ...biogradEnv, MLP_DTYPE: "float32" },
  },
  {
    name: "biograd-2threads",
    label: "biograd, 2 threads (each mini-batch split)",
    cmd: node,
    args: [join(here, "mlp-peer-biograd.mjs")],
    env: { ...biogradEnv, MLP_THREADS: "2" },
  },
  ...(withJs
    ? [
        {
          name: "biograd-js",
          label: "biograd, JS GEMM (BIOGRAD_GEMM=js)",
          cmd: node,
          args: [join(here, "mlp-peer-biograd.mjs")],
          env: { ...biogradEnv, BIOGRAD_GEMM: "js" },
        },
      ]
    : []),
  ...(withTfjs
    ? [{ name: "tfjs", label: "TF.js wasm", cmd: node, args: [join(here, "mlp-peer-tfjs.mjs")] }]
    : []),
  ...(torchPy
    ? ["float64", "float32"].map((dt) => ({
        name: `torch-${dt}`,
        label: `PyTorch ${dt} (Debian default BLAS)`,
        cmd: torchPy,
        args: [join(here, "mlp_peer_torch.py"), "DTYPE", dt],
        env: cleanEnv,
      }))
    : []),
  ...(withOpenBlas
    ? ["float64", "float32"].map((dt) => ({
        name: `torch-${dt}-openblas`,
        label: `PyTorch ${dt} + OpenBLAS`,
        cmd: torchPy,
        args: [join(here, "mlp_peer_torch.py"), "DTYPE", dt],
        env: obEnv,
      }))
    : []),
];

// --only=name,name… runs a subset (names as in the results: biograd, tfjs, torch-float64-openblas…).
const only = flag("only")?.split(",");
if (only) {
  const known = peers.map((p) => p.name);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    console.error(
      `--only: unknown peer ${unknown.join(", ")}; expected some of ${known.join(", ")}`,
    );
    process.exit(2);
  }
  peers.splice(0, peers.length, ...peers.filter((p) => only.includes(p.name)));
}

function runPeer(peer, round) {
  console.error(`running ${peer.label} (round ${round}/${rounds}) …`);
  // The meta path goes first for every peer; torch takes the dtype after it.
  const args = peer.args.filter((a) => a !== "DTYPE");
  args.splice(1, 0, metaPath);
  const r = spawnSync(peer.cmd, args, {
    env: peer.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`${peer.label} failed (${r.error ?? `exit ${r.status}`})`);
  const lines = r.stdout.trim().split("\n"); // TF.js may print a banner before the JSON
  return JSON.parse(lines.at(-1));
}

// The machine is shared: all peers run once per round, several rounds, so a burst of other
// work is spread over all of them; statistics are over the samples of all rounds.
const samples = Object.fromEntries(peers.map((p) => [p.name, []]));
for (let r = 1; r <= rounds; r++) {
  for (const peer of peers) samples[peer.name].push(runPeer(peer, r));
}
function pool(runs) {
  const first = structuredClone(runs[0]);
  for (const key of ["ms", "loopMs", "cpuMs", "coldEpochMs"]) {
    first[key] = runs.flatMap((run) => run[key]);
  }
  first.memory.peakMB = Math.max(...runs.map((run) => run.memory.peakMB));
  first.memory.afterLoadMB = Math.max(...runs.map((run) => run.memory.afterLoadMB));
  first.finalLosses = runs.map((run) => run.finalLoss);
  return first;
}
const results = Object.fromEntries(peers.map((p) => [p.name, pool(samples[p.name])]));

// --- table. ratio = peer time / biograd time = biograd samples/s ÷ peer samples/s (> 1: biograd
// is faster). Samples = rows × epochs; the time is the whole train() call (5 epochs and the
// full-data loss at the end) for every peer.
const samplesPerRun = rows * workload.epochs;
const base = results.biograd;
const targets = {
  tfjs: ">= 2.5",
  "torch-float64": ">= 0.7",
  "torch-float64-openblas": ">= 0.7",
};
const table = peers.map((p) => {
  const r = results[p.name];
  const med = median(r.ms);
  const ratio = p.name === "biograd" ? null : med / median(base.ms);
  const target = targets[p.name] ?? null;
  const met = target === null ? undefined : ratio >= Number(target.split(" ")[1]);
  return {
    peer: p.label,
    name: p.name,
    dtype: r.dtype,
    threads: r.threads,
    medianMs: med,
    minMs: Math.min(...r.ms),
    samplesPerSec: samplesPerRun / (med / 1000),
    loopSamplesPerSec: samplesPerRun / (median(r.loopMs) / 1000),
    cpuMs: median(r.cpuMs),
    coldEpochMs: median(r.coldEpochMs),
    ratio,
    loopRatio: p.name === "biograd" ? null : median(r.loopMs) / median(base.loopMs),
    target: target && `biograd/peer ${target}`,
    met,
    finalLoss: median(r.finalLosses),
    peakMB: r.memory.peakMB,
  };
});
const fmt = (v, d) => (v === null || v === undefined ? "" : v.toFixed(d));
const header = [
  "peer",
  "threads",
  "median ms",
  "min ms",
  "samples/s",
  "epochs-only samples/s",
  "CPU s",
  "ratio",
  "target",
  "met",
  "final loss",
  "peak RSS MB",
];
const cells = table.map((t) => [
  t.peer,
  String(t.threads),
  fmt(t.medianMs, 0),
  fmt(t.minMs, 0),
  fmt(t.samplesPerSec, 0),
  fmt(t.loopSamplesPerSec, 0),
  fmt(t.cpuMs / 1000, 1),
  fmt(t.ratio, 2),
  t.target ?? "",
  t.met === undefined ? "" : t.met ? "yes" : "NO",
  fmt(t.finalLoss, 4),
  fmt(t.peakMB, 0),
]);
const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c].length)));
const line = (r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ");
console.log([line(header), ...cells.map(line)].join("\n"));
const md = [
  `| ${header.join(" | ")} |`,
  `| ${header.map((_, c) => (c >= 2 && c !== 8 && c !== 9 ? "---:" : "---")).join(" | ")} |`,
  ...cells.map((r) => `| ${r.join(" | ")} |`),
].join("\n");

// Per round (the peers of a round ran back to back, so they saw the same machine load): the
// range of peer / biograd over the rounds, less sensitive to load bursts than pooled medians.
const roundMs = (name) => samples[name].map((run) => median(run.ms));
const experiment = Object.keys(targets)
  .filter((name) => results[name])
  .map((name) => {
    const ratios = roundMs(name).map((ms, i) => ms / roundMs("biograd")[i]);
    return { name, target: targets[name], min: Math.min(...ratios), max: Math.max(...ratios) };
  });
if (results["biograd-js"]) {
  const ratios = roundMs("biograd-js").map((ms, i) => ms / roundMs("biograd")[i]);
  experiment.push({
    name: "biograd-js",
    target: "",
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  });
}
// The targets say "2 threads each": the float64 peers against biograd's 2-thread row too.
for (const name of Object.keys(targets)) {
  if (!results[name] || !results["biograd-2threads"]) continue;
  const ratios = roundMs(name).map((ms, i) => ms / roundMs("biograd-2threads")[i]);
  experiment.push({
    name: `${name} / biograd-2threads`,
    target: targets[name],
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  });
}
// float32 is reported against the float32 peers, per round like the float64 targets.
for (const name of ["tfjs", "torch-float32", "torch-float32-openblas", "biograd"]) {
  if (!results[name] || !results["biograd-float32"]) continue;
  const ratios = roundMs(name).map((ms, i) => ms / roundMs("biograd-float32")[i]);
  experiment.push({
    name: `${name} / biograd-float32`,
    target: "",
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  });
}
const experimentText = `per-round ratios peer/biograd: ${experiment.map((e) => `${e.name} ${e.min.toFixed(2)}–${e.max.toFixed(2)}${e.target ? ` (target ${e.target})` : ""}`).join("; ")}`;
if (experiment) console.log(`\n${experimentText}`);

const v = {
  node: process.version,
  v8: process.versions.v8,
  tfjs: results.tfjs?.versions.tfjs ?? null,
  tfjsWasm: results.tfjs?.versions["tfjs-backend-wasm"] ?? null,
  tfjsWasmFlags: results.tfjs?.wasm ?? null,
  python: results["torch-float64"]?.versions.python ?? null,
  torch: results["torch-float64"]?.versions.torch ?? null,
  torchPython: torchPy ?? null,
  torchBlas: Object.fromEntries(
    peers.filter((p) => p.name.startsWith("torch")).map((p) => [p.name, results[p.name].blas]),
  ),
};
console.log(
  `\n${rounds} rounds × ${repeats} timed runs per peer; samples/s = ${samplesPerRun} / median wall time of the whole run (5 epochs + final full-data loss); ratio = peer ms / biograd ms`,
);
console.log(`biograd build measured: ${base.lib}`);
for (const p of peers) {
  const r = results[p.name];
  console.log(
    `${p.label}: runs ms ${r.ms.map((x) => x.toFixed(0)).join(" ")}; epoch losses ${r.epochLosses.map((x) => x.toFixed(4)).join(" ")}; cold first epoch ${fmt(median(r.coldEpochMs), 0)} ms; RSS after load ${fmt(r.memory.afterLoadMB, 0)} MB`,
  );
}
console.log(`versions: ${JSON.stringify(v)}`);

const git = spawnSync("git", ["describe", "--always", "--dirty"], { encoding: "utf8" });
const report = {
  date: new Date().toISOString(),
  command: `node bench/mlp-run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
  git: git.stdout?.trim(),
  rounds,
  repeats,
  workload,
  versions: v,
  table,
  experiment,
  peers: results,
};
writeFileSync(join(out, "mlp-results.json"), JSON.stringify(report, null, 2));
writeFileSync(
  join(out, "mlp-results.md"),
  `${report.date} — \`${report.command}\` (${report.git})\n\n${md}\n\n${experimentText}\n`,
);
console.log(`\nwrote ${join(out, "mlp-results.json")} and mlp-results.md`);
