// Where biograd's time goes on the MLP benchmark (issue 4). On demand only.
//   npm run build && node bench/mlp-profile.mjs [--interval=100]
//   BENCH_DIST=bench/out/mlp-wasm-build/dist node bench/mlp-profile.mjs --tag=wasm   # the experiment
// Runs bench/mlp-peer-biograd.mjs once under `node --cpu-prof` (one warm-up epoch, one timed
// 5-epoch train(), as in mlp-run.mjs) and attributes every sample to a bucket by its stack:
// the GEMM calls by caller (forward X·W, ∂W = Xᵀ·∂Z, ∂X = ∂Z·Wᵀ) and by kernel function
// (packPanel, tile2x4, …), activations, bias loops, loss, batch gather, the global-norm clip,
// adam, the trainer's own passes (raw gradient norm, parameter update), GC and the rest.
// Also prints the hottest source lines of the GEMM kernels (positionTicks).
// Writes bench/out/mlp-prof/*.cpuprofile and bench/out/mlp-profile.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMlpData } from "./mlp-data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "out");
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const interval = Number(flag("interval") ?? 100); // µs between samples
const tag = flag("tag") ? `-${flag("tag")}` : "";
const profDir = join(out, `mlp-prof${tag}`);
rmSync(profDir, { recursive: true, force: true });
mkdirSync(profDir, { recursive: true });

// Its own copy of the (deterministic) data, so a concurrent mlp-run.mjs is not disturbed.
const workload = writeMlpData(profDir);
const metaPath = join(profDir, "mlp-profile-meta.json");
writeFileSync(metaPath, JSON.stringify({ workload, repeats: 1 }));
const r = spawnSync(
  process.execPath,
  [
    "--cpu-prof",
    `--cpu-prof-dir=${profDir}`,
    `--cpu-prof-interval=${interval}`,
    join(here, "mlp-peer-biograd.mjs"),
    metaPath,
  ],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
if (r.status !== 0) throw new Error(`biograd peer failed (exit ${r.status})`);
const peer = JSON.parse(r.stdout);
const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
const profile = JSON.parse(readFileSync(join(profDir, file), "utf8"));

// --- stacks: node id → frames from the root down.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const frame = (n) => ({
  fn: n.callFrame.functionName || "(anonymous)",
  file: basename(n.callFrame.url),
  wasm: n.callFrame.url.startsWith("wasm://"),
});
const stackCache = new Map();
function stack(id) {
  if (stackCache.has(id)) return stackCache.get(id);
  const s = [];
  for (let at = id; at !== undefined; at = parent.get(at)) s.push(frame(byId.get(at)));
  s.reverse();
  stackCache.set(id, s);
  return s;
}

const GEMM_CALLERS = {
  matmul: "forward Z = X·W (matmul)",
  matmulTransA: "backward ∂W = Xᵀ·∂Z (matmulTransA)",
  matmulTransB: "backward ∂X = ∂Z·Wᵀ (matmulTransB)",
};
const KERNEL_FILES = new Set([
  "gemm.js",
  "gemm-blocked.js",
  "check.js",
  "gemm-select.js",
  "gemm-wasm.js",
]);
/** Inside a GEMM call: the wasm tile loop, the wasm packing, or the JS side (copies, checks). */
function gemmPart(s) {
  const wasmFrame = [...s].reverse().find((f) => f.wasm);
  if (wasmFrame) {
    // Exports without a $name show as wasm-function[i]: 2 and 3 are packStrips and packRows4.
    const packing = /^pack|^wasm-function\[[23]\]$/.test(wasmFrame.fn);
    return packing ? "wasm packing (packStrips/packRows4)" : "wasm kernel";
  }
  return "JS side: operand/C copies, JS packing, checks";
}
/** The bucket of one sample: [group, detail]. The innermost biograd frame decides. */
function classify(s) {
  const leaf = s.at(-1);
  if (leaf.fn === "(garbage collector)") return ["GC", "(garbage collector)"];
  if (leaf.fn === "(idle)" || leaf.fn === "(program)") return ["V8 other", leaf.fn];
  const caller = [...s].reverse().find((f) => f.file === "gemm.js" && GEMM_CALLERS[f.fn]);
  if (caller) {
    return [`GEMM ${GEMM_CALLERS[caller.fn]}`, gemmPart(s)];
  }
  const innermost = [...s].reverse().find((f) => f.file.endsWith(".js") && f.file !== "");
  if (!innermost) return ["V8 other", leaf.fn];
  const inStack = (name) => s.some((f) => f.file === name);
  switch (innermost.file) {
    case "activation-kernels.js":
    case "activations.js":
      return ["activations (relu fwd/bwd)", innermost.fn];
    case "dense.js":
      return ["dense: bias add / bias gradient loops", innermost.fn];
    case "regression.js":
    case "mlp-head.js":
      return ["loss (MSE)", innermost.fn];
    case "mlp.js":
      return ["mlp.js: batch gather / chunk loop", innermost.fn];
    case "network-pass.js":
      return ["network-pass.js (own code)", innermost.fn];
    case "optimizers.js":
      return ["adam", innermost.fn];
    case "fused-clip-adam.js":
    case "fused-apply.js":
      return ["fused clip + adam + update (one pass)", innermost.fn];
    case "clip-by-global-norm.js":
    case "non-finite.js":
      return ["global-norm clip", innermost.fn];
    case "norms.js":
      return inStack("clip-by-global-norm.js") || inStack("fused-clip-adam.js")
        ? ["global-norm clip", innermost.fn]
        : ["trainer: raw gradient norm (step.js)", innermost.fn];
    case "step.js":
      return ["trainer: parameter update (step.js)", innermost.fn];
    case "trainer.js":
    case "rng.js":
      return ["trainer: loop, shuffle", innermost.fn];
    case "chain.js":
      return ["chain", innermost.fn];
    default:
      return [`other (${innermost.file})`, innermost.fn];
  }
}

// Sample weights: timeDeltas[i] is the time before sample i.
const self = new Map(); // node id → µs
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
/** Which part of the run a stack belongs to: the steps, train()'s final full-data loss, or neither. */
function phase(s) {
  if (!s.some((f) => f.fn === "train" && f.file === "trainer.js")) return "outside train()";
  return s.some((f) => f.fn === "takeStep")
    ? "train(): steps"
    : "train(): rest (final full-data loss, result)";
}
let total = 0;
const groups = new Map();
const details = new Map();
const phases = new Map();
const add = (m, k, us) => m.set(k, (m.get(k) ?? 0) + us);
for (const [id, us] of self) {
  const s = stack(id);
  let [g, d] = classify(s);
  const ph = phase(s);
  // Module loading (the stdlib imports of dist/index.js) and reading the data files.
  if (ph === "outside train()" && !(g === "GC" || d === "(program)" || d === "(idle)")) {
    [g, d] = ["outside train(): imports, data read", d];
  }
  total += us;
  add(groups, g, us);
  add(details, `${g} › ${d}`, us);
  add(phases, ph, us);
}
const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5);
const ms = (us) => (us / 1000).toFixed(0).padStart(7);

console.log(
  `biograd MLP profile: ${(total / 1000).toFixed(0)} ms sampled (warm-up epoch + 5-epoch train() incl. final loss), interval ${interval} µs`,
);
console.log(
  `train() wall ${peer.ms[0].toFixed(0)} ms, epochs only ${peer.loopMs[0].toFixed(0)} ms\n`,
);
console.log("by phase:");
for (const [g, us] of sorted(phases)) console.log(`${pct(us)} %  ${ms(us)} ms  ${g}`);
console.log("\nby group:");
for (const [g, us] of sorted(groups)) console.log(`${pct(us)} %  ${ms(us)} ms  ${g}`);
console.log("\nby group › function (≥ 0.2 %):");
for (const [d, us] of sorted(details)) {
  if (us / total >= 0.002) console.log(`${pct(us)} %  ${ms(us)} ms  ${d}`);
}

// --- hottest lines in the kernels (V8 records ticks per source line for each node).
const lines = new Map();
for (const n of profile.nodes) {
  const f = frame(n);
  if (!KERNEL_FILES.has(f.file) || !n.positionTicks) continue;
  for (const { line, ticks } of n.positionTicks) {
    const key = `${f.file}:${line} (${f.fn})`;
    lines.set(key, (lines.get(key) ?? 0) + ticks);
  }
}
const tickTotal = [...lines.values()].reduce((a, b) => a + b, 0);
console.log("\nGEMM kernel lines by ticks (compiled .js line numbers, dist/nn/kernels):");
for (const [k, t] of sorted(lines).slice(0, 12)) {
  console.log(`${((100 * t) / tickTotal).toFixed(1).padStart(5)} %  ${k}`);
}

writeFileSync(
  join(out, `mlp-profile${tag}.json`),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      intervalUs: interval,
      totalMs: total / 1000,
      trainMs: peer.ms[0],
      loopMs: peer.loopMs[0],
      phases: Object.fromEntries(sorted(phases).map(([g, us]) => [g, us / 1000])),
      groups: Object.fromEntries(sorted(groups).map(([g, us]) => [g, us / 1000])),
      details: Object.fromEntries(sorted(details).map(([d, us]) => [d, us / 1000])),
      kernelLines: Object.fromEntries(sorted(lines)),
      profile: join(profDir, file),
    },
    null,
    2,
  ),
);
console.log(`\nwrote ${join(out, `mlp-profile${tag}.json`)} and ${join(profDir, file)}`);
