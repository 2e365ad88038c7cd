// What the seed workload's train() calls cost the memory system, call by call: for each window
// of calls in a fresh process, the mean ms per call and the minor page faults per call, and for
// the whole run the bytes V8's minor GCs promoted (objects that survived two scavenges) and the
// scavenges' total pause. A run whose results die young promotes almost nothing; one whose
// results are kept alive by something (2026-12-04: a hidden class per result, see
// src/train/lazy-history-result.ts) promotes each result's history and pays in long scavenges
// and, for memory outside V8's heap, in fresh pages (12–17 µs each on our hosts).
//   npm run build && node bench/seed-memory.mjs [--calls=600] [--window=50] [--rounds=2]
//     [--base=DIST] [--off]
// --base: another build's dist/ (e.g. a copy of main's) measured in the same run, alternating.
// --off: diagnostics off. On demand only, never in CI.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const calls = Number(flag("calls") ?? 600);
const window = Number(flag("window") ?? 50);
const rounds = Number(flag("rounds") ?? 2);
const base = flag("base");
const off = process.argv.includes("--off");

// The child: the seed workload as bench/peer-biograd-seed.mjs runs it ("full" variant).
if (process.argv[2] === "--child") {
  const dist = process.argv[3];
  const { chain, clipByValue, linearModel, sgd, train } = await import(
    pathToFileURL(join(dist, "index.js")).href
  );
  const { SEED_STEPS, seedData } = await import("./data.mjs");
  const S = seedData();
  const data = { features: ["x0"], target: "y", rows: S.n, x: S.x, y: S.y, source: "bench" };
  const run = () =>
    train(linearModel(data), {
      transform: chain(clipByValue({ max: SEED_STEPS.clip }), sgd({ lr: SEED_STEPS.lr })),
      epochs: SEED_STEPS.iterations,
      start: Float64Array.from(S.start),
      ...(process.argv.includes("--off") ? { diagnostics: false } : {}),
    });
  const rows = [];
  for (let w = 0; w * window < calls; w++) {
    const faults = process.resourceUsage().minorPageFault;
    const t = performance.now();
    for (let i = 0; i < window; i++) run();
    rows.push({
      from: w * window,
      ms: (performance.now() - t) / window,
      faults: (process.resourceUsage().minorPageFault - faults) / window,
    });
  }
  process.stdout.write(`RESULT ${JSON.stringify(rows)}\n`);
  process.exit(0);
}

/** One fresh process on `dist`, with V8's GC trace: its windows and its minor GCs' totals. */
function measure(dist) {
  const args = [
    "--trace-gc-nvp",
    fileURLToPath(import.meta.url),
    "--child",
    dist,
    `--calls=${calls}`,
    `--window=${window}`,
  ];
  const child = spawnSync(process.execPath, [...args, ...(off ? ["--off"] : [])], {
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (child.status !== 0) throw new Error(`seed-memory child failed: ${child.stderr}`);
  let promoted = 0;
  let scavenges = 0;
  let pauseMs = 0;
  let windows = null;
  for (const line of child.stdout.split("\n")) {
    if (line.startsWith("RESULT ")) windows = JSON.parse(line.slice(7));
    if (!line.includes(" gc=s ")) continue;
    scavenges++;
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    pauseMs += Number(/ pause=([\d.]+)/.exec(line)?.[1] ?? 0);
  }
  return { windows, promotedMB: promoted / 2 ** 20, scavenges, pauseMs };
}

const builds = [["this build", resolve(here, "..", "dist")]];
if (base) builds.push(["base", resolve(base)]);
for (const [name, dist] of builds) {
  if (!existsSync(join(dist, "index.js"))) {
    console.error(`seed-memory: ${name}: ${dist}/index.js is missing (run \`npm run build\`)`);
    process.exit(2);
  }
}
const results = builds.map(() => []);
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...builds.keys()].reverse() : [...builds.keys()];
  for (const b of order) results[b].push(measure(builds[b][1]));
}

console.log(
  `seed workload, ${calls} train() calls per fresh process, diagnostics ${off ? "off" : "on"}`,
);
for (const [b, [name, dist]] of builds.entries()) {
  console.log(`\n${name} (${dist})`);
  for (const [r, m] of results[b].entries()) {
    const cells = m.windows.map((w) => `${w.ms.toFixed(2)}/${w.faults.toFixed(0)}`);
    console.log(
      `  round ${r + 1}: promoted ${m.promotedMB.toFixed(1)} MB in ${m.scavenges} scavenges ` +
        `(${m.pauseMs.toFixed(0)} ms of pauses); per window of ${window} calls, ms per call / ` +
        `page faults per call:\n    ${cells.join("  ")}`,
    );
  }
}
