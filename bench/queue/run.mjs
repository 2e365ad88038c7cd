// The queue's cost beside a local run (issue 13's benchmark), on demand:
//   npm run build && node bench/queue/run.mjs [--n=100000] [--workers=2]
// 1. N simulated 4PL curves (bench/groups/make-curves.mjs), fitted locally with
//    `fit --group --fast --workers W`;
// 2. the same through a private redis-server: the submitter enqueues every chunk first (no
//    worker yet: the enqueue time, the job payload size and Redis memory are measured
//    alone), then W `biograd worker` processes start and drain the queue;
// 3. both files compared byte for byte; Redis commands per job from INFO commandstats.
// Writes bench/queue/RESULTS.json (and prints it). Needs redis-server on the PATH.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const N = Number(flag("n", "100000"));
const W = Number(flag("workers", "2"));
const root = new URL("../..", import.meta.url).pathname;
const main = join(root, "dist/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "biograd-bench-queue-"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

execFileSync(process.execPath, [
  join(root, "bench/groups/make-curves.mjs"),
  `--n=${N}`,
  `--out=${dir}`,
]);
const data = join(dir, `curves-${N}.csv`);
const args = [
  "fit",
  data,
  "--group",
  "compound",
  "--model",
  "4pl",
  "--x",
  "logconc",
  "--y",
  "response",
  "--fast",
  "--quiet",
];

function run(extra) {
  const t0 = performance.now();
  execFileSync(process.execPath, [main, ...args, ...extra], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return (performance.now() - t0) / 1000;
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const redis = spawn(
  "redis-server",
  ["--port", String(port), "--save", "", "--appendonly", "yes", "--dir", dir],
  { stdio: "ignore" },
);
await sleep(500);
const cli = (...a) =>
  execFileSync("redis-cli", ["-p", String(port), ...a], { encoding: "utf8" }).trim();
const url = `redis://127.0.0.1:${port}`;
const info = (section) =>
  Object.fromEntries(
    cli("info", section)
      .split("\n")
      .filter((l) => l.includes(":"))
      .map((l) => l.trim().split(":")),
  );
const commands = () =>
  Object.values(info("commandstats")).reduce(
    (sum, v) => sum + Number(/calls=(\d+)/.exec(v)?.[1] ?? 0),
    0,
  );

const result = {
  curves: N,
  chunks: Math.ceil(N / 50),
  workers: W,
  cores: cpus().length,
  loadBefore: loadavg()[0],
};
result.localSeconds = run(["--workers", String(W), "--out", join(dir, "local.csv")]);

// The submitter alone: every chunk enqueued, nothing fitted yet.
const c0 = commands();
const t0 = performance.now();
const submitter = spawn(
  process.execPath,
  [main, ...args, "--queue", url, "--out", join(dir, "queue.csv")],
  { stdio: ["ignore", "ignore", "pipe"] },
);
let submitterErr = "";
submitter.stderr.on("data", (d) => (submitterErr += d));
while (Number(cli("llen", "bull:biograd:wait")) < result.chunks) await sleep(100);
result.enqueueSeconds = (performance.now() - t0) / 1000;
const sample = cli("lindex", "bull:biograd:wait", "0");
result.jobDataBytes = Number(cli("hstrlen", `bull:biograd:${sample}`, "data"));
result.redisMemoryQueuedMB = Number(info("memory").used_memory) / 1e6;
const c1 = commands();

const t1 = performance.now();
const workers = Array.from({ length: W }, () =>
  spawn(process.execPath, [main, "worker", "--queue", url, "--quiet"], { stdio: "ignore" }),
);
const code = await new Promise((r) => submitter.once("exit", r));
result.processSeconds = (performance.now() - t1) / 1000;
result.queueSeconds = (performance.now() - t0) / 1000;
result.submitterExit = code;
result.submitterSummary = submitterErr.trim().split("\n").pop();
const c2 = commands();
result.redisCommandsPerJob = { enqueue: (c1 - c0) / result.chunks, run: (c2 - c1) / result.chunks };
const fields = cli("hkeys", "biograd:biograd:results").split("\n");
result.resultBytesPerJob = Number(cli("hstrlen", "biograd:biograd:results", fields[0]));
result.redisMemoryDoneMB = Number(info("memory").used_memory) / 1e6;
result.identical =
  readFileSync(join(dir, "local.csv"), "utf8") === readFileSync(join(dir, "queue.csv"), "utf8");
result.overheadPerJobMs = ((result.queueSeconds - result.localSeconds) * 1000) / result.chunks;
result.overheadPerCurveMs = ((result.queueSeconds - result.localSeconds) * 1000) / N;
result.loadAfter = loadavg()[0];
for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
redis.kill("SIGTERM");
const out = join(root, "bench/queue/RESULTS.json");
writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
console.log(JSON.stringify(result, null, 1));
