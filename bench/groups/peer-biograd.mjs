// biograd side of the grouped-fit benchmark, run as its own process by run.mjs (so its peak
// RSS is its own):
//   node bench/groups/peer-biograd.mjs CURVES.csv TRUTH.csv --threads=0|1|2 --lm=default|minpack
// threads=0 fits in this thread (createCurveFitter, one curve after another); threads ≥ 1 sends
// chunks of curves to a src/batch poolExecutor running fitCurveChunk on worker threads.
// Timed: the fit loop (the file is read and parsed once before, timed apart). JSON on stdout.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dist = resolve(process.env.BENCH_DIST ?? new URL("../../dist", import.meta.url).pathname);
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { createCurveFitter, libraryFitterModel } = await load("nls/many/index.js");
const { findModel } = await load("nls/library/index.js");
const { MINPACK_LM_OPTIONS } = await load("nls/solvers/index.js");
const { poolExecutor } = await load("batch/index.js");

const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const threads = Number(flag("threads", "0"));
const lm = flag("lm", "default") === "minpack" ? { ...MINPACK_LM_OPTIONS } : undefined;
const chunkSize = Number(flag("chunk", "1000"));

/** compound,logconc,response with each compound's rows together: columns and offsets. */
function readCurves(path) {
  const text = readFileSync(path, "utf8");
  let rows = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) rows++;
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  const offsets = [];
  let n = 0;
  let prev = "";
  let pos = text.indexOf("\n") + 1;
  while (pos < text.length) {
    const end = text.indexOf("\n", pos);
    const a = text.indexOf(",", pos);
    const b = text.indexOf(",", a + 1);
    const id = text.slice(pos, a);
    if (id !== prev) {
      offsets.push(n);
      prev = id;
    }
    x[n] = Number(text.slice(a + 1, b));
    y[n] = Number(text.slice(b + 1, end < 0 ? text.length : end));
    n++;
    pos = end < 0 ? text.length : end + 1;
  }
  offsets.push(n);
  return { x: x.subarray(0, n), y: y.subarray(0, n), offsets: Int32Array.from(offsets) };
}

const median = (a) => {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const tRead = performance.now();
const { x, y, offsets } = readCurves(process.argv[2]);
const truth = readFileSync(process.argv[3], "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => Number(l.split(",")[3]));
const readSeconds = (performance.now() - tRead) / 1000;
const curves = offsets.length - 1;
const logEC50 = new Float64Array(curves);
const converged = new Uint8Array(curves);
const iterations = new Int32Array(curves);
const evaluations = new Int32Array(curves);
const starts = new Int32Array(curves);

let seconds;
let cpuSeconds;
if (threads === 0) {
  const fitter = createCurveFitter(libraryFitterModel(findModel("4pl")), { maxRows: 64, lm });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let g = 0; g < curves; g++) {
    const r = fitter.fit([x], y, null, offsets[g], offsets[g + 1]);
    logEC50[g] = r.theta[2];
    converged[g] = r.converged ? 1 : 0;
    iterations[g] = r.iterations;
    evaluations[g] = r.evaluations;
    starts[g] = r.starts;
  }
  seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  cpuSeconds = (c.user + c.system) / 1e6;
} else {
  const executor = poolExecutor({
    module: new URL(pathToFileURL(resolve(dist, "nls/many/fit-chunk.js"))),
    exportName: "fitCurveChunk",
    threads,
  });
  // Warm the threads (module load, JIT of the first chunk) outside the timing, as the
  // in-thread run compiles the fitter outside it.
  await Promise.all(
    Array.from({ length: threads }, () =>
      executor.run({
        key: "warm",
        request: {
          model: "4pl",
          columns: [x.slice(0, 24)],
          y: y.slice(0, 24),
          weights: null,
          offsets: Int32Array.from([0, 24]),
          lm,
        },
      }),
    ),
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const chunks = [];
  for (let g = 0; g < curves; g += chunkSize) chunks.push([g, Math.min(curves, g + chunkSize)]);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const [from, to] = chunks[next++];
      const r0 = offsets[from];
      const r1 = offsets[to];
      const local = offsets.slice(from, to + 1).map((o) => o - r0);
      const res = await executor.run({
        key: String(from),
        request: {
          model: "4pl",
          columns: [x.slice(r0, r1)],
          y: y.slice(r0, r1),
          weights: null,
          offsets: local,
          lm,
        },
      });
      for (let g = from; g < to; g++) {
        logEC50[g] = res.theta[4 * (g - from) + 2];
        converged[g] = res.converged[g - from];
        iterations[g] = res.iterations[g - from];
        evaluations[g] = res.evaluations[g - from];
        starts[g] = res.starts[g - from];
      }
    }
  };
  await Promise.all(Array.from({ length: 2 * threads }, worker));
  seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  cpuSeconds = (c.user + c.system) / 1e6; // main thread + workers (process-wide)
  await executor.close();
}

const dlog = [];
for (let g = 0; g < curves; g++) if (converged[g]) dlog.push(Math.abs(logEC50[g] - truth[g]));
let conv = 0;
const startCounts = {};
for (let g = 0; g < curves; g++) {
  conv += converged[g];
  startCounts[starts[g]] = (startCounts[starts[g]] ?? 0) + 1;
}
process.stdout.write(
  JSON.stringify({
    threads,
    lm: lm ? "minpack" : "default",
    curves,
    seconds,
    cpuSeconds,
    curvesPerSecond: curves / seconds,
    converged: conv,
    medianIterations: median(iterations),
    meanIterations: iterations.reduce((a, b) => a + b, 0) / curves,
    // Residual evaluations of the reported run (the start and every trial point; lmder's nfev).
    medianEvaluations: median(evaluations),
    starts: startCounts,
    medianAbsDeltaLogEC50: median(dlog),
    readSeconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    node: process.version,
  }),
);
