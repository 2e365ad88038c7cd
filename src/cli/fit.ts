import { writeFileAtomic } from "../io/atomic-write.js";
import { runFitCurve } from "../tasks/fit-curve.js";
import { printFit } from "./fit-output.js";
import { CLI_LABELS, type FitFlags, fitRequest } from "./fit-request.js";
import type { CliIO } from "./io.js";

export type { FitFlags } from "./fit-request.js";

/** `biograd fit FILE --model … --x … --y …`: the `fit-curve` task with an nls-style summary. */
export function fitCommand(file: string, flags: FitFlags, io: CliIO): number {
  const doc = runFitCurve(fitRequest(file, flags), { labels: CLI_LABELS });
  if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(doc, null, 1)}\n`);
  if (flags.format === "json") {
    io.out(JSON.stringify(doc.result));
  } else {
    printFit(io, doc);
    if (flags.out) io.out(`wrote ${flags.out}`);
  }
  return doc.result.converged ? 0 : 1;
}
