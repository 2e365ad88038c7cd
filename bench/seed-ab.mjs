// Seed workload A/B: CPU time per train() (100 points × 1,000 clipped steps, value clip ±0.1,
// lr 0.01) for one or more builds, diagnostics on and off, in interleaved rounds of the same
// process pair so machine load lands on every variant alike. On demand, never in CI.
//   node bench/seed-ab.mjs [distA distB …]   (default: ./dist)
// Each build runs in its own child process (so their JIT states do not mix); a round runs
// every build once. Per process: the median CPU µs of 101 timed calls and their 10th
// percentile (the calls least disturbed by other load). The table gives, over rounds, the
// median of the per-process medians and the minimum of the per-process 10th percentiles: on a
// shared, loaded machine the second is the steadier comparison.
// (SEPARATE=0 skips this part.) Then a paired run (PAIRED=0 skips it): one process per round
// loads every build × mode from its own copy of the build (separate module graphs, so their
// JIT states stay apart) and runs them in turns, 10 calls each, 60 turns; the ratio of two
// variants' CPU times within the same turn cancels most of the load that moves between turns.
// It prints, per variant, the median over turns of its time / the first variant's (and / the
// same build with diagnostics off, for the on/off ratio), pooled over rounds.
// A build reads its version from the package.json beside it: the paired run supplies the
// repository's when a copy (say bench/out/seed-base) has none; the separate runs need one there.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { seedData } from "./data.mjs";

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The seed train() call of a build's library, with diagnostics on or off. */
function seedRun(lib, s, diagnostics) {
  const { chain, clipByValue, linearModel, sgd, train } = lib;
  const ds = { features: ["x0"], target: "y", rows: s.n, x: s.x, y: s.y, source: "seed" };
  return () =>
    train(linearModel(ds), {
      transform: chain(clipByValue({ max: 0.1 }), sgd({ lr: 0.01 })),
      epochs: 1000,
      start: Float64Array.from(s.start),
      ...(diagnostics === undefined ? {} : { diagnostics }),
    });
}

if (process.argv[2] === "--paired") {
  // argv: --paired dir:mode dir:mode … (each dir a private copy of a build)
  const s = seedData();
  const variants = [];
  for (const spec of process.argv.slice(3)) {
    const [dir, mode] = spec.split(":");
    const lib = await import(pathToFileURL(resolve(dir, "index.js")).href);
    variants.push(seedRun(lib, s, mode === "on"));
  }
  for (const fn of variants) for (let i = 0; i < 200; i++) fn(); // JIT warm-up
  const turns = variants.map(() => []);
  for (let t = 0; t < 60; t++) {
    variants.forEach((fn, k) => {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 10; i++) fn();
      const c = process.cpuUsage(c0);
      turns[k].push((c.user + c.system) / 10);
    });
  }
  process.stdout.write(JSON.stringify(turns));
} else if (process.argv[2] === "--child") {
  const lib = await import(pathToFileURL(resolve(process.argv[3], "index.js")).href);
  const s = seedData();
  const run = (diagnostics) => seedRun(lib, s, diagnostics);
  // Builds from before the diagnostics (e.g. 792ed1d) know no `diagnostics` option: both
  // variants are then the same run, measured twice. (The paired mode assumes the option.)
  let known = true;
  try {
    run(false)();
  } catch {
    known = false;
  }
  const out = {};
  // One mode per process: the other mode's type feedback would otherwise shape the JIT's code.
  const mode = process.argv[4];
  for (const [name, fn] of [
    ["on", run(known ? true : undefined)],
    ["off", run(known ? false : undefined)],
  ].filter(([name]) => name === mode)) {
    for (let i = 0; i < 200; i++) fn(); // JIT warm-up
    const us = [];
    let last;
    for (let i = 0; i < 101; i++) {
      const c0 = process.cpuUsage();
      last = fn();
      const c = process.cpuUsage(c0);
      us.push(c.user + c.system);
    }
    const sorted = [...us].sort((u, v) => u - v);
    out[name] = {
      us: median(us),
      low: sorted[Math.floor(sorted.length / 10)],
      w: last.params[0],
      b: last.params[1],
      records: last.history.length,
    };
  }
  process.stdout.write(JSON.stringify(out));
} else {
  const dists = process.argv.slice(2).length ? process.argv.slice(2) : ["dist"];
  const rounds = Number(process.env.ROUNDS ?? 5);
  if (process.env.SEPARATE !== "0") separateRuns(dists, rounds);
  if (process.env.PAIRED !== "0") pairedRuns(dists, rounds);
}

/** The paired run (see the header): every build × mode in one process per round. */
function pairedRuns(dists, rounds) {
  const repo = dirname(dirname(fileURLToPath(import.meta.url)));
  // One directory per run: bench/out may be shared by several checkouts running at once.
  const root = join(repo, "bench", "out", `seed-ab-copies-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  const specs = [];
  dists.forEach((d, k) => {
    for (const mode of ["off", "on"]) {
      // A copy per variant, beside a copy of the package.json the build reads, under the
      // repository so that node_modules resolves.
      const dir = join(root, `${k}-${mode}`);
      mkdirSync(dir, { recursive: true });
      cpSync(resolve(d), join(dir, "dist"), { recursive: true });
      // (Beside the build, else the repository's: a copy under bench/out has none beside it.)
      const beside = join(dirname(resolve(d)), "package.json");
      const pkg = existsSync(beside) ? beside : join(repo, "package.json");
      if (existsSync(pkg)) cpSync(pkg, join(dir, "package.json"));
      specs.push({ name: `${d} ${mode}`, arg: `${join(dir, "dist")}:${mode}` });
    }
  });
  const ratios = specs.map(() => []);
  const perCall = specs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...specs].reverse() : specs; // alternate who goes first in a turn
    const args = [process.argv[1], "--paired", ...order.map((v) => v.arg)];
    const p = spawnSync(process.execPath, args, { encoding: "utf8" });
    if (p.status !== 0) throw new Error(`paired: ${p.stderr}`);
    const got = JSON.parse(p.stdout);
    const turns = specs.map((v) => got[order.indexOf(v)]);
    for (let k = 0; k < specs.length; k++) {
      perCall[k].push(...turns[k]);
      // Against the first build's "off" run, and (for "on") against its own build's "off".
      const ref = k % 2 === 1 ? k - 1 : 0;
      for (let t = 0; t < turns[k].length; t++) {
        const us = turns[k][t];
        ratios[k].push([us / turns[0][t], us / turns[ref][t]]);
      }
    }
  }
  rmSync(root, { recursive: true, force: true });
  console.log(
    `\npaired (${rounds} processes × 60 turns × 10 calls): variant | CPU µs/train() median, min | ` +
      `vs ${specs[0].name} | on/off of its build (median ratio within turns)`,
  );
  specs.forEach((v, k) => {
    const vsFirst = median(ratios[k].map((x) => x[0]));
    const onOff = k % 2 === 1 ? median(ratios[k].map((x) => x[1])).toFixed(3) : "";
    console.log(
      `${v.name} | ${median(perCall[k]).toFixed(0)}, ${Math.min(...perCall[k]).toFixed(0)} | ` +
        `${vsFirst.toFixed(3)} | ${onOff}`,
    );
  });
}

/** The per-build, per-mode processes (see the header). */
function separateRuns(dists, rounds) {
  const got = dists.map(() => ({ on: [], off: [], onLow: [], offLow: [], params: null }));
  for (let r = 0; r < rounds; r++) {
    dists.forEach((d, k) => {
      const o = {};
      for (const mode of ["on", "off"]) {
        const args = [process.argv[1], "--child", d, mode];
        const p = spawnSync(process.execPath, args, { encoding: "utf8" });
        if (p.status !== 0) throw new Error(`${d}: ${p.stderr}`);
        Object.assign(o, JSON.parse(p.stdout));
      }
      got[k].on.push(o.on.us);
      got[k].off.push(o.off.us);
      got[k].onLow.push(o.on.low);
      got[k].offLow.push(o.off.low);
      got[k].params = [o.on.w, o.on.b, o.off.w, o.off.b, o.on.records];
    });
  }
  console.log(
    "build | CPU µs/train() diagnostics on: median, min p10 | off: median, min p10 | on/off (medians, p10s) | params (w, b on; w, b off; records)",
  );
  const stats = got.map((g) => ({
    on: median(g.on),
    off: median(g.off),
    onLow: Math.min(...g.onLow),
    offLow: Math.min(...g.offLow),
  }));
  dists.forEach((d, k) => {
    const s = stats[k];
    console.log(
      `${d} | ${s.on.toFixed(0)}, ${s.onLow.toFixed(0)} | ${s.off.toFixed(0)}, ${s.offLow.toFixed(0)} | ` +
        `${(s.on / s.off).toFixed(2)}, ${(s.onLow / s.offLow).toFixed(2)} | ${got[k].params.join(" ")}`,
    );
  });
  dists.slice(1).forEach((d, k) => {
    const [a, b] = [stats[0], stats[k + 1]];
    console.log(
      `${d} vs ${dists[0]}: diagnostics on ${(a.on / b.on).toFixed(2)}× (medians), ${(a.onLow / b.onLow).toFixed(2)}× (p10); ` +
        `off ${(a.off / b.off).toFixed(2)}×, ${(a.offLow / b.offLow).toFixed(2)}× faster`,
    );
  });
}
