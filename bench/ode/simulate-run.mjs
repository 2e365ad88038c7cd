// ODE simulation benchmark: biograd's integrate (auto, rodas) vs scipy solve_ivp (LSODA,
// Radau) vs R deSolve lsoda, on Robertson to 4e10 and a 20-state stiff network, with and
// without forward sensitivities. On demand only, never in CI.
//   npx tsc -p tsconfig.build.json && node bench/ode/simulate-run.mjs [--rounds=2 --min-runs=5 --min-ms=1000]
// Every peer is its own process reading the same spec; writes bench/ode/RESULTS-simulate.md.
import { execSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chainSystem, robertsonSystem, spec } from "./simulate-problems.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const out = join(root, "bench", "out", "simulate");
const flag = (name, dflt) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const rounds = flag("rounds", 2);
const minRuns = flag("min-runs", 5);
const minMs = flag("min-ms", 1000);
const dist = resolve(process.env.BENCH_DIST ?? join(root, "dist"));
const entry = join(dist, "ode", "integrate", "index.js");
if (!existsSync(entry)) {
  console.error(`bench: ${entry} is missing; run \`npx tsc -p tsconfig.build.json\` first.`);
  process.exit(1);
}
const { integrate } = await import(pathToFileURL(entry).href);
mkdirSync(out, { recursive: true });
const problems = spec();
const specFile = join(out, "spec.json");
writeFileSync(specFile, JSON.stringify(problems));
// R reads plain files
writeFileSync(
  join(out, "problems.csv"),
  `name,model,rtol,atol,sens\n${problems.map((p) => `${p.name},${p.model},${p.rtol},${p.atol},${p.sens ? "TRUE" : "FALSE"}`).join("\n")}\n`,
);
for (const p of problems) {
  writeFileSync(join(out, `${p.name}-times.txt`), p.times.map((t) => t.toPrecision(17)).join("\n"));
  writeFileSync(join(out, `${p.name}-y0.txt`), p.y0.join("\n"));
  if (p.model === "robertson") writeFileSync(join(out, `${p.name}-k.txt`), p.k.join("\n"));
  else {
    writeFileSync(
      join(out, `${p.name}-chain.csv`),
      `kf,kb\n${p.kf.map((v, i) => `${v.toPrecision(17)},${p.kb[i].toPrecision(17)}`).join("\n")}\n`,
    );
    writeFileSync(
      join(out, `${p.name}-sens.csv`),
      `kind,index\n${p.sensParams.map(([k, i]) => `${k},${i}`).join("\n")}\n`,
    );
    writeFileSync(join(out, `${p.name}-nl.txt`), [p.kn, ...p.nl].join("\n"));
  }
}

// Reference: biograd's RODAS at rtol 1e-11 (checked against the published Robertson values
// in test/ode/integrate), to show every peer ran at a comparable accuracy.
const reference = {};
for (const p of problems) {
  const system = p.model === "robertson" ? robertsonSystem(p.k) : chainSystem(p);
  const r = integrate(system, {
    t0: 0,
    y0: Float64Array.from(p.y0),
    times: Float64Array.from(p.times),
    rtol: 1e-11,
    atol: p.atol * 1e-4,
    solver: "rodas",
    maxSteps: 1e7,
    ...(p.sens ? { S0: new Float64Array(system.n * system.np) } : {}),
  });
  const k = p.times.length - 1;
  const n = system.n;
  reference[p.name] = {
    final: Array.from(r.states.subarray(k * n, (k + 1) * n)),
    finalSens: r.sensitivities ? Array.from(r.sensitivities.subarray(k * n * system.np)) : null,
  };
}

const peers = [
  {
    label: "biograd auto",
    cmd: "node",
    args: [join(here, "simulate-peer-biograd.mjs"), specFile, "auto", minRuns, minMs],
  },
  {
    label: "biograd rodas",
    cmd: "node",
    args: [join(here, "simulate-peer-biograd.mjs"), specFile, "rodas", minRuns, minMs],
  },
  {
    label: "scipy LSODA",
    cmd: "python3",
    args: [join(here, "simulate_peer_scipy.py"), specFile, "LSODA", minRuns, minMs],
  },
  {
    label: "scipy Radau",
    cmd: "python3",
    args: [join(here, "simulate_peer_scipy.py"), specFile, "Radau", minRuns, minMs],
  },
  {
    label: "R deSolve lsoda",
    cmd: "Rscript",
    args: [join(here, "simulate_peer_r.R"), out, minRuns, minMs],
  },
];
const uptime = () => execSync("uptime", { encoding: "utf8" }).trim();
const uptimeBefore = uptime();
const samples = {};
const versions = {};
for (let round = 0; round < rounds; round++) {
  for (const peer of peers) {
    const r = spawnSync(peer.cmd, peer.args.map(String), { encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      console.error(
        `${peer.label}: failed (${r.error?.message ?? r.stderr.trim().split("\n").pop()})`,
      );
      continue;
    }
    const result = JSON.parse(r.stdout.trim().split("\n").pop());
    versions[peer.label] = result.scipy ?? result.deSolve ?? result.node;
    for (const [name, v] of Object.entries(result.problems)) {
      const key = `${name}|${peer.label}`;
      samples[key] ??= { ms: [], last: v };
      samples[key].ms.push(...v.ms);
      samples[key].last = v;
    }
    console.error(`round ${round + 1}: ${peer.label} done`);
  }
}

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const relErr = (got, ref) => {
  if (!got || !ref) return null;
  const scale = Math.max(...ref.map(Math.abs));
  return Math.max(...ref.map((r, i) => Math.abs(got[i] - r) / Math.max(Math.abs(r), 1e-6 * scale)));
};
const rows = [];
for (const p of problems) {
  const base = samples[`${p.name}|biograd auto`];
  for (const peer of peers) {
    const s = samples[`${p.name}|${peer.label}`];
    if (!s) continue;
    const ms = median(s.ms);
    const min = Math.min(...s.ms);
    rows.push({
      problem: p.name,
      peer: peer.label,
      ms,
      min,
      ratio: base ? ms / median(base.ms) : null,
      ratioMin: base ? min / Math.min(...base.ms) : null,
      err: relErr(s.last.final, reference[p.name].final),
      sensErr: relErr(s.last.finalSens, reference[p.name].finalSens),
      runs: s.ms.length,
    });
  }
}
const fmt = (v, d = 3) => (v === null ? "—" : Number(v).toPrecision(d));
// Target of issue 11: stiff problems within 2× of LSODA, i.e. LSODA time / biograd time ≥ 0.5.
const targets = rows
  .filter((r) => r.peer.includes("lsoda") || r.peer.includes("LSODA"))
  .map(
    (r) =>
      `- ${r.problem} vs ${r.peer}: ratio ${fmt(r.ratio)} (median), ${fmt(r.ratioMin)} (best run): ${
        r.ratio >= 0.5 && r.ratioMin >= 0.5 ? "**met**" : "**not met**"
      }`,
  );
const uptimeAfter = uptime();
const table = [
  "| problem | peer | median ms | min ms | ratio (median) | ratio (min) | final state rel. err | final sens. rel. err | runs |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.problem} | ${r.peer} | ${fmt(r.ms)} | ${fmt(r.min)} | ${fmt(r.ratio)} | ${fmt(r.ratioMin)} | ${fmt(r.err, 2)} | ${fmt(r.sensErr, 2)} | ${r.runs} |`,
  ),
].join("\n");
console.log(table);
let rev = "unknown";
try {
  rev = execSync("git rev-parse --short HEAD", { cwd: root, encoding: "utf8" }).trim();
} catch {}
const md = `# ODE simulation benchmark

Generated by \`node bench/ode/simulate-run.mjs --rounds=${rounds} --min-runs=${minRuns} --min-ms=${minMs}\`
on ${new Date().toISOString().slice(0, 16)}Z at git ${rev}; 2 shared cores (other work was running).
Build first: \`npx tsc -p tsconfig.build.json\`; R peer: \`apt-get install -y r-base-core r-cran-desolve\`.
Load: before the runs \`${uptimeBefore}\`; after them \`${uptimeAfter}\`.
Versions: ${Object.entries(versions)
  .map(([k, v]) => `${k} ${v}`)
  .join(", ")}.

Problems (bench/ode/simulate-problems.mjs): Robertson to t = 4e10 (61 output times); a 20-state
chain of reversible reactions (rates 1e-3..1e3) plus X5 + X15 → X10, to t = 1e3 (61 output
times); "+sens" adds forward sensitivities (3 parameters for Robertson, 8 for the chain).
rtol = 1e-6, atol = 1e-10 for every peer, analytic Jacobians everywhere. Peers run their usual
way: scipy and deSolve call a numpy / R right-hand side (interpreted), and integrate
sensitivities as the augmented system with the block-diagonal Jacobian (they have no
sensitivity solver); biograd uses the exact augmented Jacobian (block forward substitution).

**ratio** = peer time / biograd "auto" time (median over all runs, and best run): above 1,
biograd is faster. The machine is shared with other work, so single runs can be delayed by
whole scheduler slices; the best-run ratio is the steadier one. The target of issue 11 is
"within 2× of LSODA", i.e. a ratio of at least 0.5 on the LSODA rows.
Errors are relative to biograd's RODAS at rtol 1e-11, at the last time point.

${table}

Targets (within 2× of LSODA, both ratios ≥ 0.5):

${targets.join("\n")}
`;
writeFileSync(join(here, "RESULTS-simulate.md"), md);
console.error(`wrote ${join(here, "RESULTS-simulate.md")}`);
