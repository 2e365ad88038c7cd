// Where a grouped fit's wall time goes (issue 9, item 7): one in-process run of the library's
// fit-groups task as `biograd fit FILE --group compound --model 4pl --x logconc --y response
// --fast --out x.csv` runs it (rows as CSV bytes, 20 kept), timing from the call:
//   start       onStart: the file read (whole-file path) or its first 1,000 groups (ranges)
//   first       the first chunk delivered (and how much of the file was read by then)
//   end         the run's end
// plus CPU of this process (all threads). Needs a build (npm run build).
//   node bench/groups/timeline.mjs FILE [--workers=0|1|2] [--dist=dist]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cliOptions, cliRequest } from "./cli-request.mjs";

const args = process.argv.slice(2);
const flag = (name, dflt) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const file = args.find((a) => !a.startsWith("--"));
if (!file)
  throw new Error("usage: node bench/groups/timeline.mjs FILE [--workers=N] [--dist=dist]");
const workers = Number(flag("workers", "2"));
const dist = resolve(flag("dist", new URL("../../dist", import.meta.url).pathname));
const { runFitGroups } = await import(pathToFileURL(`${dist}/tasks/fit-groups.js`).href);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const ms = (t) => (t === null ? null : Math.round(t - t0));
let start = null;
let first = null;
let firstRead = null;
let bytes = 0;
const result = await runFitGroups(
  cliRequest(file),
  cliOptions(workers, {
    onCsvBytes: (b) => {
      bytes += b.length;
    },
    onRestart: () => {
      bytes = 0;
    },
    onStart: () => {
      start ??= performance.now();
    },
    onProgress: (p) => {
      if (first !== null) return;
      first = performance.now();
      firstRead =
        p.bytesRead === undefined ? "whole file" : `${(100 * p.bytesRead) / p.bytesTotal}`;
    },
  }),
);
const end = performance.now();
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    file,
    workers,
    groups: result.counts.groups,
    startMs: ms(start),
    firstChunkMs: ms(first),
    readAtFirstChunkPercent: firstRead,
    endMs: ms(end),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    csvBytes: bytes,
  }),
);
