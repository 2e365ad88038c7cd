// The per-curve path of a grouped fast fit, in-process and without start-up, reading or
// writing: per group the many-curves fit, then the summary (standard errors, intervals,
// R², AICc, correlations), the quality flags (outlier screen included) and the GroupRow —
// exactly what a worker runs (`fitGroupsChunk`, chunks of 50 groups as `fit --group` sends).
//   node bench/groups/fitter-after.mjs [CURVES.csv] [--rounds=3] [--part=all|fit]
// --part=fit times the fitter alone (createCurveFitter's fit, the same fitters) for the split.
// BENCH_DIST=/path/to/another/dist times another build (A/B: alternate processes, compare
// curves per CPU-second). One JSON line per round on stdout.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dist = resolve(process.env.BENCH_DIST ?? new URL("../../dist", import.meta.url).pathname);
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { fitGroupsChunk } = await load("tasks/fit-groups-chunk.js");

const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const file = resolve(
  process.argv.slice(2).find((a) => !a.startsWith("--")) ??
    new URL("../out/groups/curves-10000.csv", import.meta.url).pathname,
);
const rounds = Number(flag("rounds", "3"));
const part = flag("part", "all");

/** compound,logconc,response with each compound's rows together → GroupData per compound. */
function readGroups(path) {
  const lines = readFileSync(path, "utf8").split("\n").slice(1);
  const groups = [];
  let key = null;
  let xs = [];
  let ys = [];
  const close = () => {
    if (key !== null)
      groups.push({ key: [key], columns: [Float64Array.from(xs), Float64Array.from(ys)] });
  };
  for (const line of lines) {
    if (line === "") continue;
    const [id, x, y] = line.split(",");
    if (id !== key) {
      close();
      key = id;
      xs = [];
      ys = [];
    }
    xs.push(Number(x));
    ys.push(Number(y));
  }
  close();
  return groups;
}

const groups = readGroups(file);
const request = {
  task: "fit-groups",
  data: { file },
  model: "4pl",
  x: ["logconc"],
  y: "response",
  group: ["compound"],
  engine: "fast",
};
const labels = { model: "--model", x: "--x", start: "--start", fix: "--fix", bounds: "--bounds" };
const CHUNK = 50;

function chunks() {
  const out = [];
  for (let i = 0; i < groups.length; i += CHUNK) {
    out.push({ request, labels, groups: groups.slice(i, i + CHUNK) });
  }
  return out;
}

// Warm: one chunk (compiles the model, builds the fitters).
fitGroupsChunk({ request, labels, groups: groups.slice(0, CHUNK) });
const all = chunks();
for (let round = 0; round < rounds; round++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let flagged = 0;
  let converged = 0;
  if (part === "fit") {
    // The fitter alone, through the same entry (a chunk of groups) but only the fit.
    const { createCurveFitter, libraryFitterModel } = await load("nls/many/index.js");
    const { findModel } = await load("nls/library/index.js");
    const fitter = createCurveFitter(libraryFitterModel(findModel("4pl"), {}), { maxRows: 32 });
    for (const g of groups) {
      const r = fitter.fit([g.columns[0]], g.columns[1], null);
      if (r.converged) converged++;
    }
  } else {
    for (const c of all) {
      for (const row of fitGroupsChunk(c)) {
        if (row.converged) converged++;
        if (row.flags.length > 0) flagged++;
      }
    }
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    JSON.stringify({
      dist,
      part,
      round,
      curves: groups.length,
      wall: Number(wall.toFixed(3)),
      cpu: Number(cpuSeconds.toFixed(3)),
      perCpuSecond: Math.round(groups.length / cpuSeconds),
      usPerCurve: Number(((cpuSeconds / groups.length) * 1e6).toFixed(1)),
      converged,
      flagged,
    }),
  );
}
