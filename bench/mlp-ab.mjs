// A/B of two biograd builds on the MLP benchmark (issue 14): the same train() workload as
// mlp-run.mjs (500→256→64→1 relu, batch 128, clip 1.0 + adam 1e-3, 5 epochs), each build in its
// own process, alternating A, B, A, B … so both see the same machine load. On demand only.
//   npx tsc -p tsconfig.build.json --outDir bench/out/mlp-a/dist   (at the old commit; copy
//   package.json next to dist/), the same for bench/out/mlp-b/dist, then
//   node bench/mlp-ab.mjs bench/out/mlp-a/dist bench/out/mlp-b/dist [--rounds=5]
// Prints, per build, wall and CPU ms of the timed train() per round, min and median, the B/A
// ratios per round, and whether the epoch losses and final loss agree bit for bit (they must:
// the changes measured with it are meant to change speed only).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMlpData } from "./mlp-data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "out", "mlp-ab");
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const rounds = Number(flag("rounds") ?? 5);
const builds = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (builds.length !== 2) {
  console.error("usage: node bench/mlp-ab.mjs <dist A> <dist B> [--rounds=5]");
  process.exit(2);
}
const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

mkdirSync(out, { recursive: true });
const workload = writeMlpData(out);
const metaPath = join(out, "mlp-ab-meta.json");
writeFileSync(metaPath, JSON.stringify({ workload, repeats: 1 }));

const runs = builds.map(() => []);
for (let r = 0; r < rounds; r++) {
  builds.forEach((dist, j) => {
    const p = spawnSync(process.execPath, [join(here, "mlp-peer-biograd.mjs"), metaPath], {
      encoding: "utf8",
      env: { ...process.env, BENCH_DIST: resolve(dist) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (p.status !== 0) throw new Error(`${dist}: exit ${p.status}`);
    const result = JSON.parse(p.stdout);
    runs[j].push(result);
    console.error(
      `round ${r + 1} ${"AB"[j]}: ${result.ms[0].toFixed(0)} ms (CPU ${result.cpuMs[0].toFixed(0)})`,
    );
  });
}

const [a, b] = runs;
const same =
  JSON.stringify(a.map((x) => [x.epochLosses, x.finalLoss])) ===
  JSON.stringify(b.map((x) => [x.epochLosses, x.finalLoss]));
for (const [name, rs] of [
  ["A", a],
  ["B", b],
]) {
  const wall = rs.map((x) => x.ms[0]);
  const cpu = rs.map((x) => x.cpuMs[0]);
  console.log(
    `${name} ${builds["AB".indexOf(name)]}: wall ms ${wall.map((t) => t.toFixed(0)).join(" ")} (min ${Math.min(...wall).toFixed(0)}, median ${median(wall).toFixed(0)}); CPU ms min ${Math.min(...cpu).toFixed(0)}, median ${median(cpu).toFixed(0)}`,
  );
}
const ratios = a.map((x, i) => (b[i].ms[0] / x.ms[0]).toFixed(3));
const cpuRatios = a.map((x, i) => (b[i].cpuMs[0] / x.cpuMs[0]).toFixed(3));
console.log(`B/A wall per round: ${ratios.join(" ")}; CPU per round: ${cpuRatios.join(" ")}`);
console.log(`epoch losses and final loss identical across builds: ${same ? "yes" : "NO"}`);
console.log(`final loss ${a[0].finalLoss}`);
