// What `biograd fit FILE --group compound --model 4pl --x logconc --y response --fast --out x.csv`
// hands the library (src/cli/fit-groups.ts), for the benchmarks that call runFitGroups in
// process: the request, and options delivering result rows as CSV bytes (the CLI's path; without
// onCsvBytes and onRestart the task takes another one: row objects, the file read whole first).
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";

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
