// One child process timed from start to exit, for the grouped-fit benchmarks (whole-process.mjs,
// floor.mjs): wall seconds, CPU seconds of all its threads and peak RSS from /usr/bin/time -v
// (else the child's resourceUsage is not reachable, and those are null).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const timeV = existsSync("/usr/bin/time");

export function timed(cmd, args) {
  const argv = timeV ? ["/usr/bin/time", ["-v", cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const run = spawnSync(argv[0], argv[1], { maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (run.status !== 0) throw new Error(`${cmd} failed: ${run.stderr}`);
  const err = run.stderr.toString();
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
  // CPU seconds (user + system, all threads): far less disturbed than wall time when other
  // work shares the machine, though blind to parallelism.
  const user = /User time \(seconds\): ([\d.]+)/.exec(err);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(err);
  const cpuSeconds = user && sys ? Number(user[1]) + Number(sys[1]) : null;
  return {
    seconds,
    cpuSeconds,
    peakRssMB: rss ? Number(rss[1]) / 1024 : null,
    stdout: run.stdout.toString(),
  };
}
