// The benchmark's curves, and what `biograd fit FILE --group compound --model 4pl --x logconc --y response --fast --out x.csv`
// hands the library (src/cli/fit-groups.ts), for the benchmarks that call runFitGroups in
// process: the request, and options delivering result rows as CSV bytes (the CLI's path; without
// onCsvBytes and onRestart the task takes another one: row objects, the file read whole first).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";

export function cliRequest(file) {
  return {
    task: "fit-groups",
    data: { file },
    group: ["compound"],
    model: "4pl",
    x: ["logconc"],
    y: "response",
    engine: "fast",
  };
}

/** The CLI's options with `workers` threads; `on` adds or replaces callbacks. */
export function cliOptions(workers, on = {}) {
  return {
    workers,
    keepRows: 20,
    onCsvBytes: () => {},
    onRestart: () => {},
    ...on,
  };
}

/** The machine's state for a results file. */
export function machineFacts() {
  return {
    nproc: execFileSync("nproc").toString().trim(),
    cpu: cpus()[0]?.model,
    loadBefore: loadNow(),
    node: process.version,
  };
}

export const loadNow = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(" ");

/** bench/out/groups/curves-N.csv and truth-N.csv, made (make-curves.mjs, seeded) if missing. */
export function benchCurves(n) {
  const here = new URL(".", import.meta.url).pathname;
  const out = resolve(here, "../out/groups");
  const csv = resolve(out, `curves-${n}.csv`);
  mkdirSync(out, { recursive: true });
  if (!existsSync(csv))
    execFileSync("node", [resolve(here, "make-curves.mjs"), `--n=${n}`, `--out=${out}`]);
  return { out, csv, truth: resolve(out, `truth-${n}.csv`) };
}
