// Per-thread CPU of concurrent in-process grouped fits (issue 9): N worker threads, each an
// isolate of its own, fit the same grouped file with the CLI's CSV path (runFitGroups with
// onCsvBytes, --workers 0, --fast), WARM times to compile, then RUNS timed runs that all threads
// start together (an Atomics barrier). Per thread and run: wall ms, on-CPU ms and run-queue
// wait ms from /proc/thread-self/schedstat (Linux, ns), and the whole process's CPU ms
// (process.cpuUsage: every thread, V8's compiler and GC helpers too).
//   node bench/groups/thread-cpu.mjs CURVES.csv [--threads=2] [--runs=6] [--warm=3] [--dist=dist]
// Why: a sampling profile (and wall time) charges a thread that waits for a core to whatever
// it was running when the scheduler took the core away — on a shared 2-core host two fitting
// threads then look 1.1–1.3× slower per run, in different functions per thread, while their
// on-CPU time per run is what one thread alone spends. This tells the two apart.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { cliOptions, cliRequest } from "./cli-request.mjs";

/** [on-CPU ns, run-queue wait ns] of the calling thread. */
function schedstat() {
  const [cpu, wait] = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ").map(Number);
  return [cpu, wait];
}

if (!isMainThread) {
  const { file, dist, runs, warm, threads, barrier } = workerData;
  const { runFitGroups } = await import(resolve(dist, "tasks/fit-groups.js"));
  const run = () => runFitGroups(cliRequest(file), cliOptions(0, { onProgress: () => {} }));
  for (let k = 0; k < warm; k++) await run();
  // Every thread warm before any is timed: the timed runs overlap.
  const flags = new Int32Array(barrier);
  Atomics.add(flags, 0, 1);
  while (Atomics.load(flags, 0) < threads) {}
  const [cpu0, wait0] = schedstat();
  const t0 = performance.now();
  for (let k = 0; k < runs; k++) await run();
  const wall = performance.now() - t0;
  const [cpu1, wait1] = schedstat();
  parentPort.postMessage({
    wall: wall / runs,
    cpu: (cpu1 - cpu0) / 1e6 / runs,
    wait: (wait1 - wait0) / 1e6 / runs,
  });
} else {
  const file = process.argv[2];
  if (!file) throw new Error("usage: node bench/groups/thread-cpu.mjs CURVES.csv [--threads=2]");
  const flag = (name, dflt) =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
  const threads = Number(flag("threads", "2"));
  const runs = Number(flag("runs", "6"));
  const warm = Number(flag("warm", "3"));
  const dist = resolve(flag("dist", "dist"));
  const barrier = new SharedArrayBuffer(4);
  const flags = new Int32Array(barrier);
  // The process's CPU from when every thread is warm (polled: this thread is otherwise idle).
  let start = null;
  const poll = setInterval(() => {
    if (Atomics.load(flags, 0) === threads) {
      start = process.cpuUsage();
      clearInterval(poll);
    }
  }, 1);
  const data = { file: resolve(file), dist, runs, warm, threads, barrier };
  const results = await Promise.all(
    Array.from({ length: threads }, () => {
      const w = new Worker(new URL(import.meta.url), { workerData: data });
      return new Promise((ok, fail) => {
        w.once("message", ok);
        w.once("error", fail);
      });
    }),
  );
  const used = process.cpuUsage(start ?? undefined);
  const round = (v) => Math.round(v * 10) / 10;
  console.log(
    JSON.stringify({
      threads,
      runs,
      dist,
      perThread: results.map((r) => ({
        wall: round(r.wall),
        cpu: round(r.cpu),
        wait: round(r.wait),
      })),
      processCpuPerRun: round((used.user + used.system) / 1000 / runs),
    }),
  );
}
