// Start-up benchmark: one Michaelis–Menten fit of the 12-row Puromycin (treated) file as a
// whole process — `biograd fit` against `node -e 0` (the floor), `Rscript -e 'nls(…)'` and a
// `python3 -c` scipy `curve_fit` script — in interleaved rounds of the same run, so machine
// load lands on every peer alike. Also times, each in a fresh process, the imports the fit
// pays for (the CLI's modules and the heavy packages among them). On demand, never in CI.
//   npm run build && node bench/startup/run.mjs [--rounds=N] [--no-install]
// BENCH_DIST=DIR (a build directory beside dist/, e.g. an older dist copied to dist-base/)
// times that build instead, for an A/B in the same hour. BENCH_BASE=DIR (a path from the
// package root) adds that build's fits as peers of the same rounds, e.g. tsc's unbundled
// build: `npx tsc -p tsconfig.build.json --outDir dist-tsc` (its cli/main.js is tsc's).
// apt-gets r-base-core when Rscript is missing (as root; --no-install or BENCH_INSTALL=0 not).
// Each build runs with a code cache of its own (XDG_CACHE_HOME in a temporary directory),
// filled by one untimed run first: so the base's and this build's caches, and the caches of
// other checkouts run at the same time (tests), never replace each other between rounds.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const DIST = process.env.BENCH_DIST ?? "dist";
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const rounds = Number(flag("rounds") ?? 7);
const install = !process.argv.includes("--no-install") && process.env.BENCH_INSTALL !== "0";
const file = join(root, "examples", "puromycin-treated.csv");
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const has = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;

if (!has("Rscript", ["-e", "0"]) && install) {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  spawnSync("apt-get", ["install", "-y", "r-base-core"], { stdio: "inherit", env });
}
const R_FIT = [
  `d <- read.csv("${file}")`,
  "f <- nls(rate ~ Vm*conc/(K+conc), data = d, start = list(Vm = 200, K = 0.05))",
  "print(summary(f))",
].join("; ");
const PY_FIT = [
  "import sys, numpy as np",
  "from scipy.optimize import curve_fit",
  `d = np.loadtxt("${file}", delimiter=",", skiprows=1)`,
  "p, c = curve_fit(lambda x, vm, k: vm*x/(k+x), d[:,0], d[:,1], p0=[200, 0.05])",
  "print(p, np.sqrt(np.diag(c)))",
].join("\n");
const MAIN = join(root, DIST, "cli", "main.js");
const FORMULA_FIT = [
  "fit",
  file,
  ...["--model", "Vm*conc/(K+conc)", "--x", "conc", "--y", "rate", "--start", "Vm=200,K=0.05"],
];
const LIBRARY_FIT = ["fit", file, "--model", "mm", "--x", "conc", "--y", "rate"];
const BASE = process.env.BENCH_BASE
  ? join(resolve(root, process.env.BENCH_BASE), "cli", "main.js")
  : null;
const caches = mkdtempSync(join(tmpdir(), "biograd-startup-"));
process.on("exit", () => rmSync(caches, { recursive: true, force: true }));
/** `node …` with XDG_CACHE_HOME of its own: a build's runs keep their own code cache. */
const withCache = (name, args) => {
  const dir = join(caches, name);
  mkdirSync(dir);
  return [process.execPath, args, { XDG_CACHE_HOME: dir }];
};
const peers = [
  ["node -e 0", process.execPath, ["-e", "0"]],
  ["biograd fit formula", ...withCache("this", [MAIN, ...FORMULA_FIT])],
  ["biograd fit --model mm", ...withCache("this-mm", [MAIN, ...LIBRARY_FIT])],
  ...(BASE
    ? [
        ["base: fit formula", ...withCache("base", [BASE, ...FORMULA_FIT])],
        ["base: fit --model mm", ...withCache("base-mm", [BASE, ...LIBRARY_FIT])],
      ]
    : []),
  ...(has("Rscript", ["-e", "0"]) ? [["Rscript nls", "Rscript", ["-e", R_FIT]]] : []),
  ...(has("python3", ["-c", "import scipy"])
    ? [["python3 curve_fit", "python3", ["-c", PY_FIT]]]
    : []),
];

/** Wall ms and CPU ms (user + sys of the child, from /usr/bin/time-free rusage) of one run. */
function runOnce(cmd, args, env = {}) {
  const before = process.resourceUsage();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    env: { ...process.env, ...env },
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return { wall, out: r.stdout, before };
}
// Child CPU time: Node does not report a spawned child's rusage, so it comes from `time`'s
// portable cousin: /proc/self's children counters (RUSAGE_CHILDREN) via `process.cpuUsage`
// cannot see them either; use the shell's `times` builtin instead.
function childCpu(cmd, args, env = {}) {
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const r = spawnSync("bash", ["-c", `${quoted} >/dev/null; times`], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  const lines = r.stdout.trim().split("\n");
  const [u, s] = lines
    .at(-1)
    .split(/\s+/)
    .map((t) => {
      const m = t.match(/(\d+)m([\d.]+)s/);
      return Number(m[1]) * 60e3 + Number(m[2]) * 1e3;
    });
  return u + s;
}

const samples = Object.fromEntries(peers.map(([name]) => [name, { wall: [], cpu: [] }]));
// One untimed run each: the builds' code caches are written, and the disk cache is warm.
const loadBefore = loadavg()[0];
for (const [, cmd, args, env] of peers) runOnce(cmd, args, env);
for (let r = 0; r < rounds; r++) {
  for (const [name, cmd, args, env] of peers) {
    samples[name].wall.push(runOnce(cmd, args, env).wall);
    samples[name].cpu.push(childCpu(cmd, args, env));
  }
}
const loadAfter = loadavg()[0];

// The fit itself: CPU ms of a second `biograd fit` in a process that has run one (modules
// loaded, formula compiled and cached), median of 3 processes, 20 fits each (median).
const fitItself = (args) => {
  const code = `const { runCli } = await import(${JSON.stringify(join(root, DIST, "cli", "program.js"))});
const io = { out() {}, err() {} };
await runCli(${JSON.stringify(args)}, io);
const ms = [];
for (let i = 0; i < 20; i++) {
  const c0 = process.cpuUsage();
  await runCli(${JSON.stringify(args)}, io);
  const c = process.cpuUsage(c0);
  ms.push((c.user + c.system) / 1000);
}
ms.sort((a, b) => a - b);
console.log(ms[10]);`;
  const ms = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
      cwd: root,
      encoding: "utf8",
    });
    ms.push(Number(r.stdout.trim()));
  }
  return median(ms);
};
const fitMs = { formula: fitItself(FORMULA_FIT), mm: fitItself(LIBRARY_FIT) };

// What the fit's imports cost, each in a fresh process (CPU ms, median of 3).
const importCost = (spec) => {
  const code = `const c0 = process.cpuUsage(); await import(${JSON.stringify(spec)}); const c = process.cpuUsage(c0); console.log((c.user + c.system) / 1000);`;
  const ms = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
      cwd: root,
      encoding: "utf8",
    });
    ms.push(Number(r.stdout.trim()));
  }
  return median(ms);
};
const imports = {};
for (const spec of [
  join(root, DIST, "cli", "program.js"),
  join(root, DIST, "cli", "fit.js"),
  join(root, DIST, "tasks", "fit-curve.js"),
  join(root, DIST, "nls", "fit-curve.js"),
  join(root, DIST, "formula", "index.js"),
  "zod",
  "commander",
  "piscina",
  "@e965/xlsx",
  "cli-progress",
  join(root, DIST, "nls", "stats", "index.js"),
  "mathjs/lib/browser/math.js",
]) {
  imports[spec.replace(`${root}/`, "")] = importCost(spec);
}

const floor = median(samples["node -e 0"].wall);
const floorCpu = median(samples["node -e 0"].cpu);
const rows = peers.map(([name]) => {
  const wall = median(samples[name].wall);
  const cpu = median(samples[name].cpu);
  return { name, wall, cpu, overFloorWall: wall / floor, overFloorCpu: cpu / floorCpu };
});
console.log(
  `load average (1 min) ${loadBefore.toFixed(2)} before the rounds, ${loadAfter.toFixed(2)} after`,
);
console.log("peer                    median wall ms  median CPU ms  ÷ node -e 0 (wall, CPU)");
for (const r of rows) {
  console.log(
    `${r.name.padEnd(23)} ${r.wall.toFixed(0).padStart(14)}  ${r.cpu.toFixed(0).padStart(13)}  ${r.overFloorWall.toFixed(2)}, ${r.overFloorCpu.toFixed(2)}`,
  );
}
// The target: a whole-process fit within 2 × `node -e 0` plus the fit itself (CPU).
for (const [name, key] of [
  ["biograd fit formula", "formula"],
  ["biograd fit --model mm", "mm"],
  ...(BASE
    ? [
        ["base: fit formula", "formula"],
        ["base: fit --model mm", "mm"],
      ]
    : []),
]) {
  const cpu = median(samples[name].cpu);
  const bound = 2 * floorCpu + fitMs[key];
  console.log(
    `${name}: fit itself ${fitMs[key].toFixed(1)} ms CPU; whole process ${cpu.toFixed(0)} ms vs 2 × node + fit = ${bound.toFixed(0)} ms → ${cpu <= bound ? "met" : "not met"} (${(cpu / bound).toFixed(2)}×)`,
  );
}
console.log("\nimport cost, fresh process, CPU ms (median of 3):");
for (const [k, v] of Object.entries(imports)) console.log(`  ${k.padEnd(45)} ${v.toFixed(0)}`);
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "startup-results.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      rounds,
      load: [loadBefore, loadAfter],
      rows,
      fitMs,
      samples,
      imports,
    },
    null,
    2,
  ),
);
console.log(`\n${rounds} rounds; wrote bench/out/startup-results.json`);
