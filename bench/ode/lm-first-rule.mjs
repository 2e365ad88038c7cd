// The rule that lets Levenberg–Marquardt from the start stand alone (src/ode/fit/explained.ts),
// checked on far starts: LM alone (rtol 1e-8, dopri5, ≤ 200 iterations) from a seeded Latin
// hypercube in the default box; how many runs reach the best value and whether the rule
// accepts exactly those. Run: npx tsc -p tsconfig.build.json && EX=lv|yeast|pk COUNT=200 SEED=99 node bench/ode/lm-first-rule.mjs
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "dist");
const { fitOde, freeSpecs } = await import(join(dist, "ode/fit/fit-ode.js"));
const { observableFits, looksOptimal } = await import(join(dist, "ode/fit/explained.js"));
const { loadSetup } = await import(join(dist, "ode/fit/setup.js"));
const { latinHypercubeStarts, startRanges } = await import(join(dist, "ode/fit/starts.js"));
const which = process.env.EX ?? "lv";
const cfg = {
  lv: ["lotka-volterra.yaml", "lotka-volterra.csv"],
  yeast: ["yeast-logistic.yaml", "yeast-carlson.csv"],
  pk: ["pk-oral.yaml", "pk-oral.csv"],
}[which];
const loaded = loadSetup({
  model: { file: join(root, "examples/ode", cfg[0]) },
  overrides: {},
  data: { file: join(root, "examples/ode", cfg[1]), time: "t" },
  solve: {},
});
const { model, data } = loaded;
const p = model.parameters.free.length;
const count = Number(process.env.COUNT ?? 200),
  seed = Number(process.env.SEED ?? 99);
const draws = latinHypercubeStarts(startRanges(freeSpecs(model)), count, seed);
const out = [];
for (let i = 0; i < count; i++) {
  let o;
  try {
    o = fitOde(model, data, {
      start: draws.slice(i * p, (i + 1) * p),
      continuation: false,
      firstOrder: false,
      rtol: 1e-8,
      atol: 1e-10,
      solver: "dopri5",
      lm: { maxIterations: 200 },
    });
  } catch (e) {
    out.push({ i, err: e.message });
    continue;
  }
  const fits = observableFits(o.curve, o.layout, model.observables.length, o.fit.theta);
  out.push({
    i,
    rss: o.fit.rss,
    conv: o.fit.converged,
    bound: o.fit.warnings.some((w) => w.code === "at-bound"),
    fits,
    ok: o.fit.converged && !o.fit.warnings.some((w) => w.code === "at-bound") && looksOptimal(fits),
  });
}
const best = Math.min(...out.filter((r) => Number.isFinite(r.rss)).map((r) => r.rss));
const hit = (r) => Number.isFinite(r.rss) && r.rss - best <= 1e-6 * best;
const acceptedHits = out.filter((r) => r.ok && hit(r)).length,
  acceptedMiss = out.filter((r) => r.ok && !hit(r));
const hits = out.filter(hit);
console.log(
  `${which} seed ${seed}: best ${best}; LM alone hits ${hits.length}/${count}; rule accepts ${acceptedHits} hits and ${acceptedMiss.length} misses; rejects ${hits.length - acceptedHits} hits`,
);
const misses = out.filter((r) => !hit(r) && r.fits);
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
console.log(
  "hits: min R² over obs",
  Math.min(...hits.map((r) => Math.min(...r.fits.map((f) => f.r2)))).toFixed(3),
  "min z",
  fmt(Math.min(...hits.map((r) => Math.min(...r.fits.map((f) => f.runsZ))))),
);
console.log(
  "misses: max of min R²",
  misses.length
    ? Math.max(...misses.map((r) => Math.min(...r.fits.map((f) => f.r2)))).toFixed(3)
    : "-",
  "max of min z",
  misses.length
    ? fmt(Math.max(...misses.map((r) => Math.min(...r.fits.map((f) => f.runsZ)))))
    : "-",
);
for (const r of acceptedMiss) console.log("ACCEPTED MISS", JSON.stringify(r));
