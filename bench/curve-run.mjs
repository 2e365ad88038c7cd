// Curve-fitting benchmark: biograd's fitCurve vs scipy.optimize.curve_fit vs R nls, on the
// examples (Puromycin, DNase) and the six NIST StRD problems from both certified starts.
// On demand only, never in CI.
//   npm run build && node bench/curve-run.mjs [--rounds=3 --min-fits=50 --min-ms=500
//     --max-fits=20000 --install]
// Every peer is its own process reading the same files in bench/out/. Prints the tables and
// writes bench/out/curve-results.json and bench/out/curve-results.md. See bench/README.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { minLre, problems, writeProblems } from "./curve-problems.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "out");
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const install = process.argv.includes("--install") || process.env.BENCH_INSTALL === "1";
const rounds = Number(flag("rounds") ?? 3);
// Per problem, per peer mode and round: a warm-up (not kept), then fits until both minFits
// fits and minMs have passed, or maxFits fits.
const policy = {
  warmupFits: 10,
  warmupMs: 100,
  minFits: Number(flag("min-fits") ?? 50),
  minMs: Number(flag("min-ms") ?? 500),
  maxFits: Number(flag("max-fits") ?? 20000),
};
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const dist = resolve(process.env.BENCH_DIST ?? join(here, "..", "dist"));
if (!existsSync(join(dist, "nls", "fit.js"))) {
  console.error(`bench: ${dist}/nls/fit.js is missing; run \`npm run build\` first.`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
const list = problems();
const { jsonPath, csvPath } = writeProblems(out, list, policy);

// --- R: installed only on request (root, several minutes).
const hasR = () => spawnSync("Rscript", ["--version"], { stdio: "ignore" }).status === 0;
if (!hasR() && install) {
  console.error("R: not installed; apt-get install -y r-base-core …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  spawnSync("apt-get", ["install", "-y", "r-base-core"], { stdio: "inherit", env });
}
const withR = hasR();
if (!withR) console.error("R: not installed (run with --install or BENCH_INSTALL=1 to apt-get it)");

// The fits are tiny (≤ 250 × 7 Jacobians): BLAS threads would only add overhead.
const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" };
function runPeer(label, cmd, args) {
  console.error(`running ${label} …`);
  const r = spawnSync(cmd, args, {
    env,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`${label} failed (${r.error ?? `exit ${r.status}`})`);
  return JSON.parse(r.stdout);
}

const node = process.execPath;
const bioPeer = join(here, "curve-peer-biograd.mjs");
const polArgs = ["minFits", "minMs", "maxFits", "warmupFits", "warmupMs"].map((k) =>
  String(policy[k]),
);
const runs = { biograd: [], scipy: [], R: [], cold: [] };
const t0 = performance.now();
for (let r = 1; r <= rounds; r++) {
  const tag = `(round ${r}/${rounds})`;
  runs.biograd.push(runPeer(`biograd ${tag}`, node, [bioPeer, jsonPath]));
  runs.scipy.push(
    runPeer(`scipy ${tag}`, "python3", [join(here, "curve_peer_scipy.py"), jsonPath]),
  );
  if (withR)
    runs.R.push(
      runPeer(`R ${tag}`, "Rscript", [join(here, "curve_peer_r.R"), csvPath, ...polArgs]),
    );
  console.error(`running biograd cold fits ${tag} …`);
  for (const p of list) {
    for (const mode of ["default", "lm"]) {
      runs.cold.push(
        runPeer(`cold ${p.id} ${mode}`, node, [
          bioPeer,
          jsonPath,
          `--cold=${p.id}`,
          `--mode=${mode}`,
        ]),
      );
    }
  }
}
const elapsedS = (performance.now() - t0) / 1000;

// --- pool the rounds: median of the per-round medians, min of the mins, fits summed.
// The outcome (estimates, convergence) is deterministic; the first round's is kept, and a
// round that disagrees is reported.
const PEERS = [
  ["bd", "biograd default", "biograd", "default"],
  ["bl", "biograd LM only", "biograd", "lm"],
  ["sj", "scipy jac", "scipy", "jac"],
  ["sf", "scipy FD", "scipy", "fd"],
  ["st", "scipy jac, tight", "scipy", "jacTight"],
  ...(withR ? [["r", "R nls", "R", "nls"]] : []),
];
const disagreements = [];
const table = list.map((p) => {
  const row = { id: p.id, group: p.group, peers: {} };
  for (const [key, label, peer, mode] of PEERS) {
    const per = runs[peer].map((run) => run.results.find((x) => x.id === p.id).modes[mode]);
    const first = per[0];
    for (const other of per.slice(1)) {
      if (JSON.stringify(other.estimates) !== JSON.stringify(first.estimates)) {
        disagreements.push(`${p.id} ${label}`);
      }
    }
    row.peers[key] = {
      ...first,
      medianMs: median(per.map((x) => x.medianMs)),
      roundMedians: per.map((x) => x.medianMs),
      minMs: Math.min(...per.map((x) => x.minMs)),
      fits: per.reduce((a, x) => a + x.fits, 0),
      lre: minLre(first.estimates, p.reference),
    };
  }
  const bio = runs.biograd.map((run) => run.results.find((x) => x.id === p.id));
  row.compileMs = median(bio.map((b) => b.compile.medianMs));
  row.codegen = bio[0].codegen;
  for (const mode of ["default", "lm"]) {
    const c = runs.cold.filter((x) => x.id === p.id && x.mode === mode);
    row[`cold_${mode}`] = {
      fitMs: median(c.map((x) => x.fitMs)),
      compileMs: median(c.map((x) => x.compileMs)),
      all: c.map((x) => x.fitMs),
    };
  }
  row.referenceResolution = p.referenceResolution;
  return row;
});
const coldImportMs = median(runs.cold.map((x) => x.importMs));

// --- what each fit did, in a few characters.
const short = (text, max = 40) => {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
function work(key, e) {
  if (e.error) return short(e.error);
  if (key === "bd" || key === "bl") {
    return e.phases
      .map(
        (ph) =>
          `${ph.phase}${ph.phase === "lm" ? `(${ph.from === "start" ? "s" : "fo"})` : ""} ${ph.iterations}${ph.chosen ? "*" : ""}`,
      )
      .join(" + ");
  }
  if (key === "r") return `${e.iterations} it${e.converged ? "" : `: ${short(e.stop)}`}`;
  return `nfev ${e.nfev}, njev ${e.njev}`;
}
const f = (v, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));
const ms = (v) => (v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
// FAIL: no estimates (an error); "no conv.": estimates without convergence; "wrong point":
// reported as converged, but fewer than 1 matching digit (another stationary point).
const outcome = (e) => {
  if (e.estimates === null || e.estimates === undefined) return "FAIL";
  const digits = f(e.lre, 1);
  if (!e.converged) return `no conv. ${digits}`;
  return e.lre !== null && e.lre < 1 ? `${digits} wrong point` : digits;
};

// --- console: one line per problem and peer.
const head = [
  "problem",
  "peer",
  "median ms",
  "min ms",
  "fits",
  "outcome/LRE",
  "÷default",
  "÷LM",
  "work",
];
const lines = [head];
for (const row of table) {
  const bd = row.peers.bd.medianMs;
  const bl = row.peers.bl.medianMs;
  for (const [key, label] of PEERS) {
    const e = row.peers[key];
    lines.push([
      row.id,
      label,
      ms(e.medianMs),
      ms(e.minMs),
      String(e.fits),
      outcome(e),
      key === "bd" ? "" : f(e.medianMs / bd, 2),
      key === "bl" ? "" : f(e.medianMs / bl, 2),
      work(key, e),
    ]);
  }
  lines.push([
    row.id,
    "biograd cold 1st fit (default / LM)",
    `${ms(row.cold_default.fitMs)} / ${ms(row.cold_lm.fitMs)}`,
    "",
    "",
    "",
    "",
    "",
    `compile ${ms(row.compileMs)} warm, ${ms(row.cold_default.compileMs)} cold`,
  ]);
}
const widths = head.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
const text = lines.map((l) =>
  l
    .map((cell, c) => cell.padEnd(widths[c]))
    .join("  ")
    .trimEnd(),
);
console.log(text.join("\n"));

const geo = (vals) => Math.exp(vals.reduce((a, v) => a + Math.log(v), 0) / vals.length);
const ratios = (key, base, stat = "medianMs") =>
  table.map((row) => row.peers[key][stat] / row.peers[base][stat]);
// On a loaded machine long fits are time-sliced more often than short ones, so the ratios of
// the fastest fits (min) are given too: they are less sensitive to other work.
const summary = PEERS.filter(([key]) => key !== "bd").map(([key, label]) => ({
  label,
  vsDefault: geo(ratios(key, "bd")),
  vsLm: key === "bl" ? null : geo(ratios(key, "bl")),
  vsDefaultMin: geo(ratios(key, "bd", "minMs")),
  vsLmMin: key === "bl" ? null : geo(ratios(key, "bl", "minMs")),
}));
const summaryLines = summary.map(
  (s) =>
    `${s.label.padEnd(18)} ÷default ${f(s.vsDefault, 2)} (min ${f(s.vsDefaultMin, 2)})` +
    (s.vsLm === null ? "" : `  ÷LM-only ${f(s.vsLm, 2)} (min ${f(s.vsLmMin, 2)})`),
);
console.log("\ngeometric mean of peer time / biograd time over all problems (medians; mins):");
for (const line of summaryLines) console.log(`  ${line}`);

// --- versions, then markdown and JSON.
const b0 = runs.biograd[0];
const versions = {
  ...b0.versions,
  ...runs.scipy[0].versions,
  R: withR ? runs.R[0].versions.R : "R: not installed",
};
const git = (args) => spawnSync("git", args, { encoding: "utf8", cwd: here }).stdout?.trim();
const envPrefix = process.env.BENCH_DIST ? `BENCH_DIST=${process.env.BENCH_DIST} ` : "";
const command = `${envPrefix}node bench/curve-run.mjs ${process.argv.slice(2).join(" ")}`.trim();
const date = new Date().toISOString();

const md = [];
md.push(`Run ${date}: \`${command}\` (${rounds} rounds, ${elapsedS.toFixed(0)} s).`);
md.push("");
md.push(
  `- biograd ${versions.biograd} (${b0.lib}; git ${git(["describe", "--always", "--dirty"])}), Node ${versions.node} (V8 ${versions.v8})`,
);
md.push(`- Python ${versions.python}, numpy ${versions.numpy}, scipy ${versions.scipy}`);
md.push(`- ${versions.R}`);
md.push(
  `- per problem, peer and round: warm-up (≥ ${policy.warmupFits} fits and ≥ ${policy.warmupMs} ms), then fits until ≥ ${policy.minFits} fits and ≥ ${policy.minMs} ms (at most ${policy.maxFits}); a time is the median over the rounds of each round's median`,
);
md.push("");
md.push("Median time per fit, ms (biograd: `fitCurve` with the formula compiled beforehand):");
md.push("");
const mdTable = (header, rows) => {
  md.push(`| ${header.join(" | ")} |`);
  md.push(`| ${header.map((_, c) => (c === 0 ? "---" : "---:")).join(" | ")} |`);
  for (const r of rows) md.push(`| ${r.join(" | ")} |`);
  md.push("");
};
const labels = PEERS.map(([, label]) => label);
mdTable(
  ["problem", ...labels, "biograd cold 1st fit, default / LM", "compileFormula warm / cold"],
  table.map((row) => [
    row.id,
    ...PEERS.map(([key]) => ms(row.peers[key].medianMs)),
    `${ms(row.cold_default.fitMs)} / ${ms(row.cold_lm.fitMs)}`,
    `${ms(row.compileMs)} / ${ms(row.cold_default.compileMs)}`,
  ]),
);
for (const [base, baseLabel] of [
  ["bd", "biograd default"],
  ["bl", "biograd LM only"],
]) {
  const others = PEERS.filter(([key]) => key !== base && !(base === "bl" && key === "bd"));
  md.push(`Ratio peer time / ${baseLabel} time (> 1: biograd faster):`);
  md.push("");
  const rows = table.map((row) => [
    row.id,
    ...others.map(([key]) => f(row.peers[key].medianMs / row.peers[base].medianMs, 2)),
  ]);
  rows.push([
    "**geometric mean**",
    ...others.map(([key]) => `**${f(geo(ratios(key, base)), 2)}**`),
  ]);
  mdTable(["problem", ...others.map(([, label]) => label)], rows);
}
md.push(
  "Geometric means over all 15 problems, of the median times and (in brackets) of the fastest fit's times:",
  "",
  "```",
  ...summaryLines,
  "```",
  "",
);
md.push(
  'Outcome: LRE = fewest matching digits over the parameters (−log10 |x − c|/|c|, capped at 15) vs NIST\'s certified values or R\'s reference fit (examples; its own resolution is the last column); FAIL = no estimates (an error); "no conv." = estimates returned without convergence; "wrong point" = reported as converged with < 1 matching digit:',
);
md.push("");
mdTable(
  ["problem", ...labels, "reference resolution"],
  table.map((row) => [
    row.id,
    ...PEERS.map(([key]) => outcome(row.peers[key])),
    row.referenceResolution ? f(-Math.log10(row.referenceResolution), 1) : "",
  ]),
);
md.push(
  "Work per fit (biograd: phase and iterations, `*` = the run whose estimates were kept; `lm(fo)` starts at the first-order result, `lm(s)` at the start; scipy: residual / Jacobian evaluations; R: Gauss–Newton iterations or the error):",
);
md.push("");
mdTable(
  ["problem", ...labels],
  table.map((row) => [
    row.id,
    ...PEERS.map(([key]) => work(key, row.peers[key]).replace(/\|/g, "\\|")),
  ]),
);
const failures = table.flatMap((row) =>
  PEERS.filter(([key]) => row.peers[key].error || !row.peers[key].converged).map(
    ([key, label]) =>
      `- ${row.id}, ${label}: ${row.peers[key].error ?? `not converged (${row.peers[key].stop})`}`,
  ),
);
if (failures.length)
  md.push("Failures (kept in every table above, timed like any other fit):", "", ...failures, "");
md.push(
  `biograd cold: a fresh \`node\` process per problem and mode; importing dist/ took ${ms(coldImportMs)} ms (median), not included.`,
);
if (disagreements.length)
  md.push(`\nRounds disagreed on the estimates for: ${disagreements.join(", ")}.`);
const mdText = `${md.join("\n")}\n`;
writeFileSync(join(out, "curve-results.md"), mdText);
writeFileSync(
  join(out, "curve-results.json"),
  JSON.stringify(
    { date, command, rounds, policy, versions, elapsedS, coldImportMs, summary, table, runs },
    null,
    2,
  ),
);
console.log(
  `\n${withR ? "" : "R: not installed\n"}wrote ${join(out, "curve-results.md")} and curve-results.json`,
);
