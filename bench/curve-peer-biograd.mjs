// biograd side of the curve-fitting benchmark, run as its own process by curve-run.mjs.
//   node bench/curve-peer-biograd.mjs bench/out/curve-problems.json        → JSON on stdout
//     [--only=ID]                       only that problem (IDs as in the table, e.g. "MGH09 s1")
//   node bench/curve-peer-biograd.mjs … --cold=ID --mode=default|lm      → one cold fit
//   node --cpu-prof bench/curve-peer-biograd.mjs … --profile=ID --mode=default|lm|compile
//     [--seconds=5]                     loops one problem for a CPU profile (curve-profile.mjs)
// The formula is compiled once per problem and only fitCurve() is timed; compileFormula()
// is timed on its own. BENCH_DIST points at another build (default ../dist).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const tImport = performance.now();
const dist = resolve(process.env.BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);
const { fitCurve } = await import(pathToFileURL(resolve(dist, "nls/fit.js")).href);
const { compileFormula } = await import(pathToFileURL(resolve(dist, "formula/index.js")).href);
const importMs = performance.now() - tImport;

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const { policy, problems } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const MODES = { default: undefined, lm: { firstOrder: false } };
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function prepare(p) {
  const data = { columns: [Float64Array.from(p.x)], y: Float64Array.from(p.y), weights: null };
  const specs = p.params.map((name, j) => ({ name, start: p.start[j] }));
  const spec = { params: p.params, variables: [p.variable] };
  return { data, specs, spec };
}

/** Runs `fn` until both `minCount` calls and `minMs` have passed (or `maxCount` calls). */
function repeat(fn, minCount, minMs, maxCount) {
  const ms = [];
  const t0 = performance.now();
  let last;
  while (ms.length < maxCount && (ms.length < minCount || performance.now() - t0 < minMs)) {
    const t = performance.now();
    last = fn();
    ms.push(performance.now() - t);
  }
  return { ms, last };
}

const timed = (fn) => {
  repeat(fn, policy.warmupFits, policy.warmupMs, policy.maxFits); // JIT warm-up, not kept
  const { ms, last } = repeat(fn, policy.minFits, policy.minMs, policy.maxFits);
  const sum = ms.reduce((a, b) => a + b, 0);
  return { last, stats: { medianMs: median(ms), minMs: Math.min(...ms), fits: ms.length, sum } };
};

/** What a fit did, for the table and for explaining its time. */
function describe(fit) {
  return {
    converged: fit.converged,
    estimates: Array.from(fit.theta),
    rss: fit.rss,
    phases: fit.phases.map((ph) => ({
      phase: ph.phase === "first-order" ? "fo" : "lm",
      from: ph.from,
      iterations: ph.iterations,
      evaluations: ph.evaluations,
      stop: ph.stopReason,
      chosen: ph.chosen,
    })),
  };
}

const byId = (id) => {
  const p = problems.find((q) => q.id === id);
  if (!p) throw new Error(`no problem "${id}"; have: ${problems.map((q) => q.id).join(", ")}`);
  return p;
};
const modeOf = () => {
  const mode = flag("mode") ?? "default";
  if (!(mode in MODES) && mode !== "compile") throw new Error(`--mode=${mode}?`);
  return mode;
};

const cold = flag("cold");
const profile = flag("profile");
if (cold !== undefined) {
  // A fresh process: the first compileFormula() and the first fitCurve() it ever runs.
  const p = byId(cold);
  const mode = modeOf();
  const { data, specs, spec } = prepare(p);
  let t = performance.now();
  const curve = compileFormula(p.formula, spec);
  const compileMs = performance.now() - t;
  t = performance.now();
  const fit = fitCurve(curve, data, specs, MODES[mode]);
  const fitMs = performance.now() - t;
  console.log(JSON.stringify({ id: p.id, mode, importMs, compileMs, fitMs, ...describe(fit) }));
} else if (profile !== undefined) {
  const p = byId(profile);
  const mode = modeOf();
  const { data, specs, spec } = prepare(p);
  const curve = compileFormula(p.formula, spec);
  const fn =
    mode === "compile"
      ? () => compileFormula(p.formula, spec)
      : () => fitCurve(curve, data, specs, MODES[mode]);
  const { ms } = repeat(fn, 1, Number(flag("seconds") ?? 5) * 1000, Number.POSITIVE_INFINITY);
  console.error(`${p.id} ${mode}: ${ms.length} calls, median ${median(ms).toFixed(4)} ms`);
} else {
  const only = flag("only");
  const results = [];
  for (const p of only === undefined ? problems : [byId(only)]) {
    const { data, specs, spec } = prepare(p);
    const compile = timed(() => compileFormula(p.formula, spec));
    const curve = compile.last;
    const modes = {};
    for (const [mode, options] of Object.entries(MODES)) {
      const r = timed(() => fitCurve(curve, data, specs, options));
      modes[mode] = { ...r.stats, ...describe(r.last) };
    }
    results.push({ id: p.id, compile: compile.stats, codegen: curve.mode, modes });
  }
  const pkg = new URL("../package.json", import.meta.url);
  const { version } = JSON.parse(readFileSync(pkg, "utf8"));
  console.log(
    JSON.stringify({
      peer: "biograd",
      lib: dist,
      versions: { node: process.version, v8: process.versions.v8, biograd: version },
      importMs,
      results,
    }),
  );
}
