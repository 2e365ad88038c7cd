// The many-curves fitter's two Levenberg–Marquardt solvers on the benchmark curves, in this
// thread (issue 9, Speed): "library" (QR and SVD, fitCurve's run operation for operation) and
// "small" (p×p normal equations, Cholesky, Newton steps with the 4PL curvature kernel, on the
// replicate means of each curve: replicate-means.ts), each
// at biograd's default tolerances and at MINPACK's. Reports CPU µs per curve, median and mean
// LM iterations, and how far each run's optimum is from the library solver's (RSS and θ).
//   npm run build && node bench/groups/make-curves.mjs --n=10000 --out=bench/out/groups
//   node bench/groups/fitter-solvers.mjs [bench/out/groups/curves-10000.csv] [--curves=10000]
// BENCH_DIST=/path/to/another/dist runs another build.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dist = resolve(process.env.BENCH_DIST ?? new URL("../../dist", import.meta.url).pathname);
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { createCurveFitter, libraryFitterModel } = await load("nls/many/index.js");
const { findModel } = await load("nls/library/index.js");
const { MINPACK_LM_OPTIONS } = await load("nls/solvers/index.js");

const file = process.argv[2]?.startsWith("--") === false ? process.argv[2] : undefined;
const path = file ?? new URL("../out/groups/curves-10000.csv", import.meta.url).pathname;
const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const lines = readFileSync(path, "utf8").trim().split("\n").slice(1);
const x = new Float64Array(lines.length);
const y = new Float64Array(lines.length);
const offsets = [0];
let prev = null;
lines.forEach((line, i) => {
  const [id, a, b] = line.split(",");
  if (prev !== null && id !== prev) offsets.push(i);
  prev = id;
  x[i] = Number(a);
  y[i] = Number(b);
});
offsets.push(lines.length);
const curves = Math.min(Number(flag("curves", "10000")), offsets.length - 1);
const model = libraryFitterModel(findModel("4pl"));

function run(solver, lm) {
  const fitter = createCurveFitter(model, { maxRows: 64, solver, lm });
  for (let g = 0; g < Math.min(500, curves); g++)
    fitter.fit([x], y, null, offsets[g], offsets[g + 1]);
  const theta = new Float64Array(curves * 4);
  const rss = new Float64Array(curves);
  const iterations = new Int32Array(curves);
  let converged = 0;
  const c0 = process.cpuUsage();
  for (let g = 0; g < curves; g++) {
    const r = fitter.fit([x], y, null, offsets[g], offsets[g + 1]);
    theta.set(r.theta, 4 * g);
    rss[g] = r.rss;
    iterations[g] = r.iterations;
    converged += r.converged ? 1 : 0;
  }
  const c = process.cpuUsage(c0);
  return { theta, rss, iterations, converged, us: (c.user + c.system) / curves };
}

const reference = run("library", undefined);
const rows = [];
for (const [solver, tolerances] of [
  ["library", "default"],
  ["small", "default"],
  ["library", "minpack"],
  ["small", "minpack"],
]) {
  const r = run(solver, tolerances === "minpack" ? { ...MINPACK_LM_OPTIONS } : undefined);
  const it = Int32Array.from(r.iterations).sort();
  let rssGap = 0;
  let thetaGap = 0;
  for (let g = 0; g < curves; g++) {
    rssGap = Math.max(rssGap, (r.rss[g] - reference.rss[g]) / reference.rss[g]);
    for (let j = 0; j < 4; j++) {
      const b = reference.theta[4 * g + j];
      thetaGap = Math.max(thetaGap, Math.abs(r.theta[4 * g + j] - b) / Math.max(1, Math.abs(b)));
    }
  }
  rows.push({
    solver,
    tolerances,
    curves,
    cpuMicrosecondsPerCurve: Number(r.us.toFixed(1)),
    converged: r.converged,
    medianIterations: it[it.length >> 1],
    meanIterations: Number((it.reduce((a, b) => a + b, 0) / curves).toFixed(2)),
    maxRelRssAboveLibraryDefault: rssGap,
    maxRelThetaGapToLibraryDefault: thetaGap,
  });
}
console.table(rows);
