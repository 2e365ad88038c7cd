// Seed workload A/B: CPU time per train() (100 points × 1,000 clipped steps, value clip ±0.1,
// lr 0.01) for one or more builds, diagnostics on and off, in interleaved rounds of the same
// process pair so machine load lands on every variant alike. On demand, never in CI.
//   node bench/seed-ab.mjs [distA distB …]   (default: ./dist)
// Each build runs in its own child process (so their JIT states do not mix); a round runs
// every build once; the table gives the median over rounds of each build's median CPU µs.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { seedData } from "./data.mjs";

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (process.argv[2] === "--child") {
  const lib = await import(pathToFileURL(resolve(process.argv[3], "index.js")).href);
  const { chain, clipByValue, linearModel, sgd, train } = lib;
  const s = seedData();
  const ds = { features: ["x0"], target: "y", rows: s.n, x: s.x, y: s.y, source: "seed" };
  const run = (diagnostics) => () =>
    train(linearModel(ds), {
      transform: chain(clipByValue({ max: 0.1 }), sgd({ lr: 0.01 })),
      epochs: 1000,
      start: Float64Array.from(s.start),
      ...(diagnostics === undefined ? {} : { diagnostics }),
    });
  // Builds from before the diagnostics (e.g. 792ed1d) know no `diagnostics` option: both
  // variants are then the same run, measured twice.
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
    out[name] = {
      us: median(us),
      w: last.params[0],
      b: last.params[1],
      records: last.history.length,
    };
  }
  process.stdout.write(JSON.stringify(out));
} else {
  const dists = process.argv.slice(2).length ? process.argv.slice(2) : ["dist"];
  const rounds = Number(process.env.ROUNDS ?? 5);
  const got = dists.map(() => ({ on: [], off: [], params: null }));
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
      got[k].params = [o.on.w, o.on.b, o.off.w, o.off.b, o.on.records];
    });
  }
  console.log(
    "build | CPU µs/train() diagnostics on | off | on/off | params (w, b on; w, b off; records)",
  );
  dists.forEach((d, k) => {
    const on = median(got[k].on);
    const off = median(got[k].off);
    console.log(
      `${d} | ${on.toFixed(0)} | ${off.toFixed(0)} | ${(on / off).toFixed(2)} | ${got[k].params.join(" ")}`,
    );
  });
  if (dists.length > 1) {
    const base = median(got[0].on);
    dists.slice(1).forEach((d, k) => {
      console.log(
        `${d} vs ${dists[0]} (diagnostics on): ${(base / median(got[k + 1].on)).toFixed(2)}× faster`,
      );
    });
  }
}
