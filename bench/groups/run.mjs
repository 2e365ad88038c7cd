// Grouped-fit benchmark (issue 9): N simulated 4PL curves, biograd's many-curves path against
// scipy curve_fit looping in Python, on the same CSV in the same run.
//   npm run build && node bench/groups/run.mjs [--n=10000] [--rounds=3] [--no-scipy]
//   node bench/groups/run.mjs --n=100000            # the large run (scipy takes about a minute)
//   node bench/groups/run.mjs --whole-only          # only the whole-process rows (below)
//   node bench/groups/run.mjs --r                   # also R (minpack.lm nlsLM per group), round 1
//   node bench/groups/run.mjs --whole-only --base=OLD/dist   # A/B: an older build beside this one
// Whole-process rows (whole-process.mjs): `biograd fit CSV --group compound … --fast
// --workers 0|1|2 --out TMP --quiet` and scipy's script, each timed from start to exit.
// Each peer runs as its own process (its peak RSS is its own), one after the other, `rounds`
// times; the table shows each configuration's best round (least disturbed by other load on a
// shared machine) and the median. Output: a Markdown table on stdout, all rounds as JSON in
// bench/out/groups/results-N.json.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { benchCurves, loadNow, machineFacts } from "./cli-request.mjs";

const here = new URL(".", import.meta.url).pathname;
const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const n = Number(flag("n", "10000"));
const rounds = Number(flag("rounds", "3"));
const scipy = !process.argv.includes("--no-scipy");
// The lmder pass only counts Jacobian evaluations; --scipy-modes=fd skips it (100,000 curves).
const scipyModes = flag("scipy-modes", "fd,jac");
const { out, csv, truth } = benchCurves(n);

const json = (cmd, args) => JSON.parse(execFileSync(cmd, args, { maxBuffer: 1 << 26 }).toString());
const CONFIGS = [
  { label: "biograd, this thread", threads: 0, lm: "default" },
  { label: "biograd, 1 worker", threads: 1, lm: "default" },
  { label: "biograd, 2 workers", threads: 2, lm: "default" },
  { label: "biograd, this thread, MINPACK tolerances", threads: 0, lm: "minpack" },
  { label: "biograd, 1 worker, MINPACK tolerances", threads: 1, lm: "minpack" },
  { label: "biograd, 2 workers, MINPACK tolerances", threads: 2, lm: "minpack" },
];
const machine = {
  ...machineFacts(),
  python: execFileSync("python3", ["--version"]).toString().trim(),
};
const whole = process.argv.includes("--whole-only");
const withR = process.argv.includes("--r");
if (withR) machine.r = execFileSync("Rscript", ["-e", "cat(R.version.string)"]).toString();
const results = { n, machine, scipy: [], biograd: CONFIGS.map(() => []), whole: [] };
for (let round = 0; round < rounds; round++) {
  const w = [resolve(here, "whole-process.mjs"), csv, truth, "--workers=0,1,2"];
  if (scipy) w.push("--scipy");
  if (flag("base", null) !== null) w.push(`--base=${resolve(flag("base"))}`);
  // R (nlsLM per group, about 100 curves/s) runs in the first round only.
  if (withR && round === 0) w.push("--r", `--r-curves=${flag("r-curves", "0")}`);
  results.whole.push(json("node", w));
  if (whole) continue;
  if (scipy)
    results.scipy.push(
      json("python3", [resolve(here, "peer_scipy.py"), csv, truth, `--modes=${scipyModes}`]),
    );
  CONFIGS.forEach((c, k) => {
    results.biograd[k].push(
      json("node", [
        resolve(here, "peer-biograd.mjs"),
        csv,
        truth,
        `--threads=${c.threads}`,
        `--lm=${c.lm}`,
      ]),
    );
  });
}
machine.loadAfter = loadNow();
writeFileSync(resolve(out, `results-${n}.json`), JSON.stringify(results, null, 1));

const med = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const best = (rs, key) => Math.max(...rs.map((r) => r[key]));
const fmt = (v, d = 0) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
const wholeLines = [
  "Whole process (start to exit), best round (median):",
  "",
  "| peer | curves | curves/s best (median) | × scipy best (median) | × scipy per round | curves per CPU-second best (× scipy) | converged | median abs Δlog10 EC50 | peak RSS MB |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];
// Each round's rate over the same round's scipy rate: scipy's own rate moved 1.6× between
// rounds (2026-12-04), so a best over best can pair rounds that never ran together.
const roundRatios = (p) =>
  results.whole
    .map((round) => {
      const peer = round.find((r) => r.peer === p);
      const sp = round.find((r) => r.peer === "scipy");
      return peer && sp ? fmt(peer.curvesPerSecond / sp.curvesPerSecond, 1) : "–";
    })
    .join(" ");
const peers = results.whole[0].map((r) => r.peer);
const ofPeer = (p) =>
  results.whole.map((round) => round.find((r) => r.peer === p)).filter((r) => r !== undefined);
const wsp = scipy ? ofPeer("scipy") : null;
for (const p of peers) {
  const rs = ofPeer(p);
  const b = best(rs, "curvesPerSecond");
  const m = med(rs.map((r) => r.curvesPerSecond));
  const ratio = wsp
    ? `${fmt(b / best(wsp, "curvesPerSecond"), 1)} (${fmt(m / med(wsp.map((r) => r.curvesPerSecond)), 1)})`
    : "–";
  const cpu = (xs) => Math.max(...xs.map((r) => (r.cpuSeconds ? r.curves / r.cpuSeconds : 0)));
  const cpuRatio = wsp ? fmt(cpu(rs) / cpu(wsp), 1) : "–";
  wholeLines.push(
    `| ${p} | ${rs[0].curves} | ${fmt(b)} (${fmt(m)}) | ${ratio} | ${wsp ? roundRatios(p) : "–"} | ${fmt(cpu(rs))} (${cpuRatio}) | ${fmt(rs[0].convergedPercent, 1)} % | ${fmt(rs[0].medianAbsDeltaLogEC50, 4)} | ${fmt(Math.max(...rs.map((r) => r.peakRssMB ?? Number.NaN)))} |`,
  );
}
process.stdout.write(`${wholeLines.join("\n")}\n\n`);
if (whole) process.exit(0);
const sp = results.scipy.map((r) => r.fd);
const spBest = sp.length ? best(sp, "curvesPerSecond") : null;
const spMed = sp.length ? med(sp.map((r) => r.curvesPerSecond)) : null;
// Per CPU-second (process-wide, all threads): less disturbed by other load than wall time, but
// blind to parallelism; the best round of each.
const perCpu = (rs) => Math.max(...rs.map((r) => r.curves / r.cpuSeconds));
const spCpu = sp.length ? perCpu(sp) : null;
const lines = [
  `${n} curves · nproc ${machine.nproc} · load ${machine.loadBefore} → ${machine.loadAfter} · ${machine.node} · ${machine.python}`,
  "",
  "| peer | curves/s best (median) | × scipy best (median) | curves per CPU-second (× scipy) | converged | median iterations | median nfev | median abs Δlog10 EC50 | peak RSS MB |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];
if (sp.length) {
  const r = sp[0];
  const jac = results.scipy[0].jac;
  lines.push(
    `| scipy curve_fit (lmdif, a Python loop) | ${fmt(spBest)} (${fmt(spMed)}) | 1 | ${fmt(spCpu)} (1) | ${(100 * r.converged) / r.curves} % | ${jac ? `${fmt(jac.medianCount)} (njev, lmder)` : "–"} | ${fmt(r.medianCount)} | ${fmt(r.medianAbsDeltaLogEC50, 4)} | ${fmt(Math.max(...results.scipy.map((x) => x.peakRssMB)))} |`,
  );
}
CONFIGS.forEach((c, k) => {
  const rs = results.biograd[k];
  const b = best(rs, "curvesPerSecond");
  const m = med(rs.map((r) => r.curvesPerSecond));
  const r = rs[0];
  const ratio = spBest ? `${fmt(b / spBest, 1)} (${fmt(m / spMed, 1)})` : "–";
  lines.push(
    `| ${c.label} | ${fmt(b)} (${fmt(m)}) | ${ratio} | ${fmt(perCpu(rs))} (${spCpu ? fmt(perCpu(rs) / spCpu, 1) : "–"}) | ${(100 * r.converged) / r.curves} % | ${fmt(r.medianIterations)} (mean ${fmt(r.meanIterations, 2)}) | – | ${fmt(r.medianAbsDeltaLogEC50, 4)} | ${fmt(Math.max(...rs.map((x) => x.peakRssMB)))} |`,
  );
});
process.stdout.write(`${lines.join("\n")}\n`);
