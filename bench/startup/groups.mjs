// Start-up's share of a grouped fit as a whole process (issue 9's benchmark, issue 14 item 3):
// `biograd fit CURVES.csv --group compound --model 4pl … --fast --workers W --quiet` for each
// worker count, this build against BENCH_BASE (another build's dist/, with its dist-cli/,
// package.json and node_modules beside it) in interleaved rounds, so machine load lands on both
// alike. Wall and CPU ms (user + sys of the child, all its threads), medians. On demand.
//   node bench/startup/groups.mjs [CURVES.csv] [--rounds=N] [--workers=0,1,2]
// CURVES.csv defaults to bench/out/groups/curves-10000.csv (bench/groups/make-curves.mjs).
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const rounds = Number(flag("rounds", "5"));
const workers = flag("workers", "0,1,2").split(",").map(Number);
const csv =
  process.argv.slice(2).find((a) => !a.startsWith("--")) ??
  join(root, "bench", "out", "groups", "curves-10000.csv");
if (!existsSync(csv)) throw new Error(`${csv} missing: run bench/groups/make-curves.mjs`);
const builds = [["this", join(root, "dist", "cli", "main.js")]];
if (process.env.BENCH_BASE) {
  builds.push(["base", join(resolve(root, process.env.BENCH_BASE), "cli", "main.js")]);
}
const out = join(tmpdir(), `biograd-startup-groups-${process.pid}.csv`);

/** Wall and CPU ms of one run: bash's `times` reports its children's user and sys time. */
function run(main, w) {
  const args = [main, "fit", csv, "--group", "compound", "--model", "4pl", "--x", "logconc"];
  args.push("--y", "response", "--fast", "--workers", String(w), "--out", out, "--quiet");
  const quoted = [process.execPath, ...args].map((a) => `'${a}'`).join(" ");
  const t0 = performance.now();
  const r = spawnSync("bash", ["-c", `${quoted} >/dev/null; times`], { encoding: "utf8" });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${main} --workers ${w}: exit ${r.status}\n${r.stderr}`);
  const [u, s] = r.stdout
    .trim()
    .split("\n")
    .at(-1)
    .split(/\s+/)
    .map((t) => {
      const m = /(\d+)m([\d.]+)s/.exec(t);
      return Number(m[1]) * 60e3 + Number(m[2]) * 1e3;
    });
  return { wall, cpu: u + s };
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const samples = new Map();
for (let r = 0; r < rounds; r++) {
  for (const w of workers) {
    for (const [name, main] of builds) {
      const key = `${name} --workers ${w}`;
      if (!samples.has(key)) samples.set(key, { wall: [], cpu: [] });
      const t = run(main, w);
      samples.get(key).wall.push(t.wall);
      samples.get(key).cpu.push(t.cpu);
    }
  }
}
rmSync(out, { force: true });
console.log(`${csv}, ${rounds} rounds, medians`);
console.log("build, workers            wall ms    CPU ms");
for (const [key, s] of samples) {
  const wall = median(s.wall).toFixed(0).padStart(10);
  console.log(`${key.padEnd(22)} ${wall} ${median(s.cpu).toFixed(0).padStart(9)}`);
}
