// What one queue job costs beside its fits, measured piece by piece (on demand):
//   npm run build && node bench/queue/job-cost.mjs [--groups=50] [--port=6379]
// A chunk of G simulated 4PL curves is encoded, sent through JSON, decoded and checked as a
// worker does; its result rows are stored and read back through a real Redis (HSETNX, HGET)
// and checked with the result schema as the submitter does. Prints milliseconds per job.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const G = Number(flag("groups", "50"));
const port = Number(flag("port", "6379"));
const dist = new URL("../../dist/", import.meta.url);
const { encodeChunk, decodeChunk } = await import(new URL("queue/chunk-codec.js", dist));
const { fitGroupsChunk } = await import(new URL("tasks/fit-groups-chunk.js", dist));
const { chunkResultSchema } = await import(new URL("tasks/fit-groups-row.js", dist));
const { fitGroupsRequestSchema } = await import(new URL("tasks/fit-groups-request.js", dist));
const { JSON_LABELS } = await import(new URL("tasks/fit-curve-request.js", dist));
const { readGroupedRows } = await import(new URL("tasks/fit-groups-data.js", dist));
const { prepareGroupsModel } = await import(new URL("tasks/fit-groups-model.js", dist));

const dir = mkdtempSync(join(tmpdir(), "biograd-job-cost-"));
execFileSync(process.execPath, [
  new URL("../groups/make-curves.mjs", import.meta.url).pathname,
  `--n=${G}`,
  `--out=${dir}`,
]);
const request = fitGroupsRequestSchema.parse({
  task: "fit-groups",
  data: { file: join(dir, `curves-${G}.csv`) },
  model: "4pl",
  x: { x: "logconc" },
  y: "response",
  group: ["compound"],
  engine: "fast",
});
const prepared = prepareGroupsModel(request, JSON_LABELS);
const rows = readGroupedRows(request.data, request.group, prepared.numeric);
const chunk = {
  request,
  labels: JSON_LABELS,
  groups: rows.keys.map((key, g) => ({
    key,
    columns: rows.columns.map((c) => c.slice(rows.offsets[g], rows.offsets[g + 1])),
  })),
};
const time = (reps, fn) => {
  for (let i = 0; i < Math.min(reps, 20); i++) fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
};
const payload = JSON.stringify(encodeChunk(chunk));
const result = fitGroupsChunk(chunk);
const resultText = JSON.stringify(result);
const out = {
  groups: G,
  payloadBytes: payload.length,
  resultBytes: resultText.length,
  fitMs: time(20, () => fitGroupsChunk(chunk)),
  encodeMs: time(200, () => JSON.stringify(encodeChunk(chunk))),
  decodeMs: time(200, () => decodeChunk(JSON.parse(payload), "job")),
  resultEncodeMs: time(200, () => JSON.stringify(result)),
  resultDecodeMs: time(200, () => chunkResultSchema.parse(JSON.parse(resultText))),
};
const redis = new Redis({ port });
const reps = 300;
let t0 = performance.now();
for (let i = 0; i < reps; i++) await redis.hsetnx("biograd-bench:results", `j${i}`, resultText);
out.redisStoreMs = (performance.now() - t0) / reps;
t0 = performance.now();
for (let i = 0; i < reps; i++) await redis.hget("biograd-bench:results", `j${i}`);
out.redisReadMs = (performance.now() - t0) / reps;
await redis.del("biograd-bench:results");
redis.disconnect();
console.log(JSON.stringify(out, null, 1));
