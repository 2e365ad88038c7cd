// How far below the process floor the grouped-fit speed targets of issue 9 lie (on demand):
//   npm run build && node bench/groups/floor.mjs [--n=10000] [--rounds=3]
// The targets are whole-process ratios to scipy (≥ 10× with 1 worker, ≥ 20× with 2), so each
// is a time budget: n / (ratio × scipy's curves per second, measured in the same round). Each
// round runs, one after another:
//   scipy       peer_scipy.py --modes=fd on the n-curve CSV, a whole process (its rate sets the budgets)
//   node -e 0   Node's own start and exit
//   start-up    `biograd fit` on 2 groups cut from the same CSV, --workers 0, 1, 2: loading, worker
//               threads' start, reading and writing, next to nothing fitted
//   warm fit    the n-curve fit in a process whose code V8 has already optimised: runFitGroups
//               as `fit --group … --out x.csv` calls it (cli-request.mjs; reading the file and
//               making the CSV bytes included, writing them not) run 6 times
//               in a fresh process, the median of runs 3–6; for 2 threads, two threads doing so
//               at once, halved (each would fit half the curves)
//   whole       `biograd fit` on the n-curve CSV, --workers 0, 1, 2
// floor = start-up + warm fit: the whole process with no JIT warm-up at all. When the floor is
// above the budget, no change to when or how V8 optimises the fitter meets the target; only
// doing less work per curve or starting faster does. Markdown on stdout, all rounds as JSON in
// bench/out/groups/floor-N.json.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { benchCurves, cliOptions, cliRequest, loadNow, machineFacts } from "./cli-request.mjs";
import { timed } from "./timed-process.mjs";

const here = new URL(".", import.meta.url).pathname;
const dist = resolve(here, "../../dist");
const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

/** One thread's steady-state seconds for fitting `file` in process (runs 3–6 of 6). */
async function warmFitSeconds(file) {
  const { runFitGroups } = await import(pathToFileURL(`${dist}/tasks/fit-groups.js`).href);
  const request = cliRequest(file);
  const options = cliOptions(0);
  const seconds = [];
  for (let k = 0; k < 6; k++) {
    const t0 = process.hrtime.bigint();
    await runFitGroups(request, options);
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(seconds.slice(2));
}

const median = (a) => {
  const s = [...a].sort((u, v) => u - v);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (!isMainThread) {
  parentPort.postMessage(await warmFitSeconds(workerData));
} else if (process.argv.includes("--warm-child")) {
  // This process's threads each fit the whole file at once; stdout: their mean seconds.
  const threads = Number(flag("threads", "1"));
  const file = flag("file", "");
  const all = await Promise.all(
    Array.from({ length: threads }, () => {
      const w = new Worker(new URL(import.meta.url), { workerData: file });
      return new Promise((done, fail) => w.once("message", done).once("error", fail));
    }),
  );
  process.stdout.write(`${all.reduce((a, b) => a + b, 0) / all.length}\n`);
} else {
  await main();
}

async function main() {
  const n = Number(flag("n", "10000"));
  const rounds = Number(flag("rounds", "3"));
  const { out, csv, truth } = benchCurves(n);
  const small = resolve(tmpdir(), `biograd-floor-${process.pid}.csv`);
  writeFileSync(small, twoGroups(readFileSync(csv, "utf8")));
  const cli = resolve(dist, "cli/main.js");
  const biogradSeconds = (file, w) => {
    const target = resolve(tmpdir(), `biograd-floor-${process.pid}-out.csv`);
    const t = timed("node", [
      cli,
      ...["fit", file, "--group", "compound", "--model", "4pl", "--x", "logconc"],
      ...["--y", "response", "--fast", "--workers", String(w), "--out", target, "--quiet"],
    ]);
    rmSync(target);
    return t.seconds;
  };
  const warm = (threads) => {
    const run = spawnSync(
      "node",
      [new URL(import.meta.url).pathname, "--warm-child", `--threads=${threads}`, `--file=${csv}`],
      { encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`warm fit failed: ${run.stderr}`);
    return Number(run.stdout) / threads;
  };
  biogradSeconds(small, 2); // V8's code caches written once, as for a user's second run
  const machine = { ...machineFacts(), date: new Date().toISOString() };
  const all = [];
  for (let r = 0; r < rounds; r++) {
    const scipy = timed("python3", [resolve(here, "peer_scipy.py"), csv, truth, "--modes=fd"]);
    const row = {
      scipyCurvesPerSecond: JSON.parse(scipy.stdout).fd.curves / scipy.seconds,
      nodeEmpty: timed("node", ["-e", "0"]).seconds,
      startup: [0, 1, 2].map((w) => biogradSeconds(small, w)),
      warm: [warm(1), warm(2)],
      whole: [0, 1, 2].map((w) => biogradSeconds(csv, w)),
    };
    all.push(row);
    process.stderr.write(`round ${r + 1}: ${JSON.stringify(row)}\n`);
  }
  rmSync(small);
  machine.loadAfter = loadNow();
  writeFileSync(resolve(out, `floor-${n}.json`), `${JSON.stringify({ machine, all }, null, 1)}\n`);
  process.stdout.write(table(n, all, machine));
}

/** The header and the first two groups' lines of a grouped CSV (groups one after another). */
function twoGroups(text) {
  const lines = text.split("\n");
  const keep = [lines[0]];
  const seen = new Set();
  for (const line of lines.slice(1)) {
    const key = line.slice(0, line.indexOf(","));
    if (!line || (!seen.has(key) && seen.size === 2)) break;
    seen.add(key);
    keep.push(line);
  }
  return `${keep.join("\n")}\n`;
}

function table(n, all, machine) {
  const ms = (s) => `${Math.round(s * 1000)}`;
  const m = (f) => median(all.map(f));
  const rate = m((r) => r.scipyCurvesPerSecond);
  const lines = [
    `n = ${n} curves, ${all.length} rounds, medians (ms); ${machine.cpu}, ${machine.nproc} CPUs, ` +
      `node ${machine.node}, load ${machine.loadBefore} → ${machine.loadAfter}, ${machine.date}`,
    "",
    `scipy: ${Math.round(rate)} curves/s as a whole process; node -e 0: ${ms(m((r) => r.nodeEmpty))} ms`,
    "",
    "| workers | target | budget | start-up | warm fit | floor | whole process | floor ÷ budget | whole ÷ budget |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [w, ratio, threads] of [
    [1, 10, 1],
    [2, 20, 2],
  ]) {
    // The budget and floor of each round (its own scipy rate), then their medians.
    const budget = (r) => n / (ratio * r.scipyCurvesPerSecond);
    const floor = (r) => r.startup[w] + r.warm[threads - 1];
    lines.push(
      `| ${w} | ≥ ${ratio}× | ${ms(m(budget))} | ${ms(m((r) => r.startup[w]))} | ` +
        `${ms(m((r) => r.warm[threads - 1]))} | ${ms(m(floor))} | ${ms(m((r) => r.whole[w]))} | ` +
        `${m((r) => floor(r) / budget(r)).toFixed(2)} | ${m((r) => r.whole[w] / budget(r)).toFixed(2)} |`,
    );
  }
  lines.push(
    "",
    `whole process, --workers 0: ${ms(m((r) => r.whole[0]))} ms; start-up --workers 0: ${ms(m((r) => r.startup[0]))} ms`,
    "",
  );
  return lines.join("\n");
}
