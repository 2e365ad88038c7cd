// Where a biograd fit's time goes: fitCurve's pieces timed one by one (warm medians), calling
// the same dist/ modules fitCurve calls, in the same order, on the benchmark's problems.
//   node bench/curve-breakdown.mjs bench/out/curve-problems.json [--only=ID] [--ms=300]
//   node bench/curve-breakdown.mjs … --count-alloc    typed arrays allocated per fit instead
// Columns (ms unless marked): fitCurve default / LM-only; first-order phase (steps, µs per
// step); LM from the first-order result and from the start (iterations, stop); the summary
// (naturalJacobian + nlsSummary) and, inside it, the t quantile; one residual+Jacobian
// evaluation (µs); GC share of the default fit's time. BENCH_DIST as elsewhere.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const countAlloc = process.argv.includes("--count-alloc");
// Counting mode: every Float64Array the library makes (new, from, map, slice) is counted.
const alloc = { count: 0, bytes: 0 };
if (countAlloc) {
  const Native = Float64Array;
  globalThis.Float64Array = class extends Native {
    constructor(...args) {
      super(...args);
      alloc.count++;
      alloc.bytes += this.byteLength;
    }
  };
}

const dist = resolve(process.env.BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { fitCurve } = await load("nls/fit-curve.js");
const { compileFormula } = await load("formula/index.js");
const { curveProblem } = await load("nls/curve-problem.js");
const { parameterise, toInternal, toNatural } = await load("nls/parameters.js");
const { firstOrder } = await load("nls/first-order.js");
const { levenbergMarquardt } = await load("nls/solvers/levenberg-marquardt.js");
const { nlsSummary } = await load("nls/stats/index.js");
const { studentTQuantile } = await load("nls/stats/student-t.js");

const { problems } = JSON.parse(readFileSync(process.argv[2], "utf8"));
const only = flag("only");
const budget = Number(flag("ms") ?? 300);
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ["gc"] });
/** Warm median of fn (ms) over `budget` ms after a warm-up of the same length. */
function time(fn) {
  for (let t0 = performance.now(); performance.now() - t0 < budget / 2; ) fn();
  const ms = [];
  for (let t0 = performance.now(); performance.now() - t0 < budget || ms.length < 20; ) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}
/** Share of wall time spent in GC while running fn for `budget` ms (GC entries are async). */
async function gcShare(fn) {
  await new Promise((r) => setTimeout(r, 0));
  gcMs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budget) fn();
  const wall = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 10));
  return gcMs / wall;
}

const rows = [];
for (const p of problems.filter((q) => only === undefined || q.id === only)) {
  const data = { columns: [Float64Array.from(p.x)], y: Float64Array.from(p.y), weights: null };
  const specs = p.params.map((name, j) => ({ name, start: p.start[j] }));
  const curve = compileFormula(p.formula, { params: p.params, variables: [p.variable] });
  const setup = () => {
    const param = parameterise(specs);
    return { param, problem: curveProblem(curve, data, param), start: toInternal(param) };
  };
  const { param, problem, start } = setup();
  const fo = firstOrder(problem, start);
  const lmFo = levenbergMarquardt(problem, fo.phi);
  const lmS = levenbergMarquardt(problem, start);
  const best = lmS.converged && !(lmFo.converged && lmFo.rss < lmS.rss) ? lmS : lmFo;
  const theta = new Float64Array(p.params.length);
  toNatural(param, best.theta, theta, new Float64Array(p.params.length));
  const n = p.y.length;
  const q = p.params.length;
  const summary = () => {
    const r = new Float64Array(n);
    const jac = new Float64Array(n * q);
    problem.naturalJacobian(theta, r, jac);
    return nlsSummary(
      { theta, residuals: r, jacobian: jac, names: p.params, weights: null, y: data.y },
      { level: 0.95 },
    );
  };
  if (countAlloc) {
    const count = (fn) => {
      fn();
      alloc.count = 0;
      alloc.bytes = 0;
      fn();
      return `${alloc.count} (${(alloc.bytes / 1024).toFixed(1)} KiB)`;
    };
    rows.push({
      id: p.id,
      "fitCurve default": count(() => fitCurve(curve, data, specs)),
      "fitCurve LM-only": count(() => fitCurve(curve, data, specs, { firstOrder: false })),
      firstOrder: count(() => firstOrder(problem, start)),
      "LM from start": count(() => levenbergMarquardt(problem, start)),
      summary: count(summary),
    });
    continue;
  }
  const r = new Float64Array(n);
  const jac = new Float64Array(n * q);
  const evalUs = time(() => problem.residuals(start, r, jac)) * 1e3;
  const foMs = time(() => firstOrder(problem, start));
  rows.push({
    id: p.id,
    default: time(() => fitCurve(curve, data, specs)),
    "LM-only": time(() => fitCurve(curve, data, specs, { firstOrder: false })),
    // The pipeline before LM-first (clipped phase always first), and whether the default
    // reaches the same outcome: converged alike, RSS equal to 1e-9 relative.
    "clipped-first": time(() => fitCurve(curve, data, specs, { lmFirst: false })),
    "same outcome": (() => {
      const a = fitCurve(curve, data, specs);
      const b = fitCurve(curve, data, specs, { lmFirst: false });
      const same = a.converged === b.converged && Math.abs(a.rss - b.rss) <= 1e-9 * b.rss;
      return `${same ? "yes" : "NO"} (${a.phases.length === 1 ? "LM only" : "clipped too"})`;
    })(),
    setup: time(setup),
    "first-order": foMs,
    "fo steps": fo.steps,
    "µs/step": (foMs * 1e3) / Math.max(1, fo.steps),
    "LM(fo)": time(() => levenbergMarquardt(problem, fo.phi)),
    "it(fo)": `${lmFo.iterations} ${lmFo.stopCode}`,
    "LM(start)": time(() => levenbergMarquardt(problem, start)),
    "it(s)": `${lmS.iterations} ${lmS.stopCode}`,
    summary: time(summary),
    "t quantile": time(() => studentTQuantile(0.975, n - q)),
    "eval µs": evalUs,
    "GC % default": 100 * (await gcShare(() => fitCurve(curve, data, specs))),
    "GC % LM-only":
      100 * (await gcShare(() => fitCurve(curve, data, specs, { firstOrder: false }))),
  });
}
const fmt = (v) =>
  typeof v !== "number"
    ? String(v)
    : Number.isInteger(v)
      ? String(v)
      : v >= 10
        ? v.toFixed(1)
        : v.toFixed(3);
const head = Object.keys(rows[0]);
const table = [head, ...rows.map((row) => head.map((k) => fmt(row[k])))];
const widths = head.map((_, c) => Math.max(...table.map((t) => t[c].length)));
for (const t of table)
  console.log(
    t
      .map((cell, c) => cell.padEnd(widths[c]))
      .join("  ")
      .trimEnd(),
  );
