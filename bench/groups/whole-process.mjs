// Whole-process rows of the grouped-fit benchmark (issue 9): each peer timed from process
// start to exit (timed-process.mjs; without /usr/bin/time the RSS column says "–").
//   node bench/groups/whole-process.mjs CURVES.csv TRUTH.csv [--workers=0,1,2] [--scipy] [--r]
//     [--r-curves=N] [--base=OLD/dist]
// --base: also an older build (a copied dist/ with package.json beside it), each worker count
// run right after the current build's, as "base --workers W": an A/B under the same load.
// biograd: `node dist/cli/main.js fit CSV --group compound --model 4pl --x logconc
// --y response --fast --workers W --out TMP.csv --quiet`, its CSV read back for converged %
// and |Δlog10 EC50| to the truth. scipy: peer_scipy.py --modes=fd as a whole process (read,
// loop, report). JSON on stdout: one entry per peer.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { timed } from "./timed-process.mjs";

const here = new URL(".", import.meta.url).pathname;
const [csv, truthFile] = process.argv.slice(2);
const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const workers = flag("workers", "0,1,2").split(",").map(Number);

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const truth = new Map(
  readFileSync(truthFile, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .map((f) => [f[0], Number(f[3])]),
);

const rows = [];
if (process.argv.includes("--scipy")) {
  const t = timed("python3", [resolve(here, "peer_scipy.py"), csv, truthFile, "--modes=fd"]);
  const r = JSON.parse(t.stdout).fd;
  rows.push({
    peer: "scipy",
    curves: r.curves,
    seconds: t.seconds,
    curvesPerSecond: r.curves / t.seconds,
    cpuSeconds: t.cpuSeconds,
    convergedPercent: (100 * r.converged) / r.curves,
    medianAbsDeltaLogEC50: r.medianAbsDeltaLogEC50,
    peakRssMB: t.peakRssMB,
  });
}
if (process.argv.includes("--r")) {
  // R: minpack.lm::nlsLM per compound (peer_r.R), timed as a whole process like scipy.
  // --r-curves=N: R on the first N compounds only (it fits about 100 curves per CPU-second).
  const limit = Number(flag("r-curves", "0"));
  let rCsv = csv;
  if (limit > 0) {
    const lines = readFileSync(csv, "utf8").split("\n");
    const keep = [lines[0]];
    const seen = new Set();
    for (const l of lines.slice(1)) {
      const c = l.slice(0, l.indexOf(","));
      if (!l || (!seen.has(c) && seen.size === limit)) break;
      seen.add(c);
      keep.push(l);
    }
    rCsv = resolve(tmpdir(), `biograd-bench-r-${process.pid}.csv`);
    writeFileSync(rCsv, `${keep.join("\n")}\n`);
  }
  const t = timed("Rscript", [resolve(here, "peer_r.R"), rCsv, truthFile]);
  if (rCsv !== csv) rmSync(rCsv);
  const r = JSON.parse(t.stdout);
  rows.push({
    peer: "R nlsLM",
    curves: r.curves,
    seconds: t.seconds,
    curvesPerSecond: r.curves / t.seconds,
    cpuSeconds: t.cpuSeconds,
    convergedPercent: (100 * r.converged) / r.curves,
    medianAbsDeltaLogEC50: r.medianAbsDeltaLogEC50,
    peakRssMB: t.peakRssMB,
  });
}
const builds = [{ name: "biograd", cli: resolve(here, "../../dist/cli/main.js") }];
const base = flag("base", null);
if (base !== null) builds.push({ name: "base", cli: resolve(base, "cli/main.js") });
for (const w of workers) {
  for (const build of builds) rows.push(biograd(build, w));
}

function biograd(build, w) {
  const out = resolve(tmpdir(), `biograd-bench-${process.pid}-${w}.csv`);
  const t = timed("node", [
    build.cli,
    "fit",
    csv,
    "--group",
    "compound",
    "--model",
    "4pl",
    "--x",
    "logconc",
    "--y",
    "response",
    "--fast",
    "--workers",
    String(w),
    "--out",
    out,
    "--quiet",
  ]);
  const lines = readFileSync(out, "utf8").trim().split("\n");
  rmSync(out);
  const head = lines[0].split(",");
  const [ci, cc, ce] = ["compound", "converged", "logEC50"].map((c) => head.indexOf(c));
  const fields = lines.slice(1).map((l) => l.split(","));
  const converged = fields.filter((f) => f[cc] === "true");
  return {
    peer: `${build.name} --workers ${w}`,
    curves: fields.length,
    seconds: t.seconds,
    curvesPerSecond: fields.length / t.seconds,
    cpuSeconds: t.cpuSeconds,
    convergedPercent: (100 * converged.length) / fields.length,
    medianAbsDeltaLogEC50: median(converged.map((f) => Math.abs(Number(f[ce]) - truth.get(f[ci])))),
    peakRssMB: t.peakRssMB,
  };
}
process.stdout.write(`${JSON.stringify(rows)}\n`);
