// Networks over worker threads (issue 14, item 2): the MLP benchmark network (500→256→64→1 relu,
// MSE, adam 1e-3 + global-norm clip 1.0, 10,000 rows of bench/mlp-data.mjs) trained with 1 and 2
// threads (parallelNetworkModel: each mini-batch split into 2 row ranges, one per thread), at
// batch 128 (the benchmark's) and 1024. On demand only:
//   npm run build && node bench/mlp-threads.mjs [--rounds=3 --epochs=2 --rows=10000]
// Every (threads, batch) cell is its own process (this file with --peer=THREADS,BATCH), on the same
// data files; rounds alternate the cells' order (reversed every other round) so the machine's load
// falls on each alike, and ratios are taken per round. `uptime` is recorded before and after each
// round: on a shared 2-core machine the second thread helps only when a core is free. Each peer
// trains one cold epoch (JIT, and the worker threads' start for 2 threads), then `--epochs` timed
// epochs from the same start. Prints a markdown table; writes bench/out/mlp-threads/results.json.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readF64 } from "./data.mjs";
import { writeMlpData } from "./mlp-data.mjs";

const here = import.meta.dirname;
const out = join(here, "out", "mlp-threads");
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const dist = resolve(process.env.BENCH_DIST ?? join(here, "..", "dist"));

if (flag("peer")) await peer(flag("peer"));
else driver();

/** One cell: THREADS,BATCH → one JSON line on stdout. */
async function peer(cell) {
  const [threads, batchSize] = cell.split(",").map(Number);
  const lib = (p) => import(pathToFileURL(join(dist, p)).href);
  const { adam, chain, clipByGlobalNorm, train, mlpModel } = await lib("index.js");
  const { parallelNetworkModel } = await lib("parallel/network-model.js");
  const W = JSON.parse(readFileSync(join(out, "meta.json"), "utf8"));
  const data = {
    features: Array.from({ length: W.inputs }, (_, j) => `x${j}`),
    rows: W.rows,
    x: readF64(W.xPath, W.rows * W.inputs),
    y: readF64(W.yPath, W.rows),
  };
  const start = readF64(W.startPath, W.params);
  const options = { spec: `mlp:${W.hidden.join(",")}:${W.activation}`, task: "regress" };
  const t0 = performance.now();
  const model =
    threads === 1
      ? mlpModel(data, options)
      : parallelNetworkModel({ kind: "mlp", options }, data, threads);
  const buildMs = performance.now() - t0;
  const run = (epochs) => {
    const transform = chain(clipByGlobalNorm({ maxNorm: W.maxNorm }), adam({ lr: W.lr }));
    const c0 = process.cpuUsage();
    const s0 = schedstat();
    const t = performance.now();
    const r = train(model, { transform, epochs, batchSize, seed: 1, start });
    const ms = performance.now() - t;
    const s1 = schedstat();
    const c = process.cpuUsage(c0); // the whole process: every thread
    const thread = s0 && s1 ? { cpu: s1.cpu - s0.cpu, queued: s1.queued - s0.queued } : null;
    return { ms, cpuMs: (c.user + c.system) / 1000, thread, r };
  };
  const cold = run(1);
  const timed = run(W.timedEpochs);
  await model.close?.();
  console.log(
    JSON.stringify({
      threads,
      batchSize,
      buildMs,
      coldEpochMs: cold.ms,
      ms: timed.ms,
      cpuMs: timed.cpuMs,
      mainCpuMs: timed.thread?.cpu ?? null,
      mainQueuedMs: timed.thread?.queued ?? null,
      steps: timed.r.steps,
      msPerStep: timed.ms / timed.r.steps,
      finalLoss: timed.r.finalLoss,
    }),
  );
}

/**
 * This thread's time on a CPU and waiting for one (run queue), in ms, from Linux's
 * /proc/thread-self/schedstat; null elsewhere. On a loaded machine the wall time mostly measures
 * the queue; the CPU times estimate what an idle machine would show (see the table's notes).
 */
function schedstat() {
  try {
    const [cpu, queued] = readFileSync("/proc/thread-self/schedstat", "utf8")
      .split(" ")
      .map(Number);
    return { cpu: cpu / 1e6, queued: queued / 1e6 };
  } catch {
    return null;
  }
}

function driver() {
  const rounds = Number(flag("rounds") ?? 3);
  const epochs = Number(flag("epochs") ?? 2);
  const rows = Number(flag("rows") ?? 10_000);
  mkdirSync(out, { recursive: true });
  const workload = { ...writeMlpData(out, rows), timedEpochs: epochs };
  writeFileSync(join(out, "meta.json"), JSON.stringify(workload, null, 2));
  const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();
  const cells = [
    [1, 128],
    [2, 128],
    [1, 1024],
    [2, 1024],
  ];
  console.error(
    `mlp-threads: ${rows} rows, ${workload.params} parameters, ${epochs} timed epochs, ${rounds} rounds, ${cpus().length} cores`,
  );
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const before = uptime();
    const order = round % 2 === 0 ? cells : [...cells].reverse();
    const got = {};
    for (const [threads, batch] of order) {
      const self = [join(here, "mlp-threads.mjs"), `--peer=${threads},${batch}`];
      const p = spawnSync(process.execPath, self, { encoding: "utf8", env: process.env });
      if (p.status !== 0) throw new Error(`peer ${threads},${batch} failed:\n${p.stderr}`);
      got[`${threads},${batch}`] = JSON.parse(p.stdout.trim().split("\n").pop());
      console.error(`round ${round + 1}: ${threads} thread(s), batch ${batch}: ${p.stdout.trim()}`);
    }
    results.push({ round: round + 1, before, after: uptime(), cells: got });
  }
  writeFileSync(join(out, "results.json"), JSON.stringify({ workload, results }, null, 2));
  console.log(table(results));
}

/**
 * Per round and batch size: wall ms per step, and an estimate for an idle machine from CPU times:
 * 1 thread, the main thread's CPU time; 2 threads, max(main thread's CPU, the other threads' CPU)
 * — the parts run side by side, and the main thread also runs the clip and Adam while the worker
 * waits, so with balanced parts the main thread's CPU time is the critical path.
 */
function table(results) {
  const lines = [
    "| round | batch | wall ms/step 1 → 2 threads | wall speed-up | CPU-estimate ms/step 1 → 2 | estimated idle speed-up | CPU s (process) 1 / 2 | 1-thread run queue % | final-loss rel. diff | load before → after |",
    "| ----: | ----: | -------------------------: | ------------: | -------------------------: | ----------------------: | --------------------: | -------------------: | -------------------: | ------------------- |",
  ];
  const load = (u) => u.match(/load average: ([\d.]+)/)?.[1] ?? "?";
  const f = (x) => x.toFixed(2);
  for (const r of results) {
    for (const batch of [128, 1024]) {
      const a = r.cells[`1,${batch}`];
      const b = r.cells[`2,${batch}`];
      const diff = Math.abs(b.finalLoss - a.finalLoss) / Math.abs(a.finalLoss);
      const est1 = a.mainCpuMs / a.steps;
      const est2 = Math.max(b.mainCpuMs, b.cpuMs - b.mainCpuMs) / b.steps;
      lines.push(
        `| ${r.round} | ${batch} | ${f(a.msPerStep)} → ${f(b.msPerStep)} | ${f(a.msPerStep / b.msPerStep)} | ` +
          `${f(est1)} → ${f(est2)} | ${f(est1 / est2)} | ${(a.cpuMs / 1000).toFixed(1)} / ${(b.cpuMs / 1000).toFixed(1)} | ` +
          `${Math.round((100 * a.mainQueuedMs) / a.ms)} | ${diff.toExponential(1)} | ${load(r.before)} → ${load(r.after)} |`,
      );
    }
  }
  return lines.join("\n");
}
