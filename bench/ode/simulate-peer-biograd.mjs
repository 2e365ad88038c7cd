// biograd side of the ODE simulation benchmark (its own process, measuring dist/).
//   node bench/ode/simulate-peer-biograd.mjs SPEC.json SOLVER MIN_RUNS MIN_MS
// writes one JSON object to stdout: per problem the wall times (ms), stats and final values.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chainSystem, robertsonSystem } from "./simulate-problems.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BENCH_DIST ?? join(here, "..", "..", "dist"));
const { integrate } = await import(pathToFileURL(join(dist, "ode", "integrate", "index.js")).href);
const [specFile, solver, minRuns, minMs] = process.argv.slice(2);
const problems = JSON.parse(readFileSync(specFile, "utf8"));

const out = {};
for (const p of problems) {
  const system = p.model === "robertson" ? robertsonSystem(p.k) : chainSystem(p);
  const options = {
    t0: 0,
    y0: Float64Array.from(p.y0),
    times: Float64Array.from(p.times),
    rtol: p.rtol,
    atol: p.atol,
    solver,
    ...(p.sens ? { S0: new Float64Array(system.n * system.np) } : {}),
  };
  for (let w = 0; w < 3; w++) integrate(system, options); // warm-up (JIT)
  const ms = [];
  let last;
  const started = performance.now();
  while (ms.length < Number(minRuns) || performance.now() - started < Number(minMs)) {
    const t = performance.now();
    last = integrate(system, options);
    ms.push(performance.now() - t);
  }
  const n = system.n;
  const k = p.times.length - 1;
  out[p.name] = {
    ms,
    stats: last.stats,
    final: Array.from(last.states.subarray(k * n, (k + 1) * n)),
    finalSens: last.sensitivities
      ? Array.from(last.sensitivities.subarray(k * n * system.np, (k + 1) * n * system.np))
      : null,
  };
}
process.stdout.write(`${JSON.stringify({ node: process.version, solver, problems: out })}\n`);
