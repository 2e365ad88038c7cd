import { planOutputs } from "../io/output-plan.js";
import type { FitCurveResult } from "../tasks/fit-curve-result.js";
import { type FitGroupsFlags, fitGroupsCommand } from "./fit-groups.js";
import { printFit } from "./fit-output.js";
import { CLI_LABELS, type FitFlags, fitRequest } from "./fit-request.js";
import type { CliIO } from "./io.js";
import { printWrote, wroteLine } from "./train-run.js";
import { runStoppable, STOP_SIGNALS } from "./train-runner.js";

export type { FitFlags } from "./fit-request.js";

/**
 * `biograd fit FILE --model … --x … --y …`: the `fit-curve` task with an nls-style summary.
 * `--out` is checked before any work; a fit that did not converge (or was stopped by
 * SIGINT/SIGTERM, which end it at the next step) is saved only beside it, as
 * `fit.failed.json` with `converged: false`, never over an existing fit.
 */
export async function fitCommand(file: string, flags: FitFlags, io: CliIO): Promise<number> {
  if ((flags as FitGroupsFlags).group !== undefined) return fitGroupsCommand(file, flags, io);
  const plan = planOutputs([{ option: "--out", path: flags.out }], [file]);
  const request = fitRequest(file, flags);
  const run = await runStoppable({ request, labels: CLI_LABELS }, {});
  const doc = run.result as FitCurveResult;
  const { converged } = doc.result;
  const saved = plan.save("--out", doc, { converged });
  if (flags.format === "json") io.out(JSON.stringify(doc.result));
  else printFit(io, doc);
  const why = run.signal ? `the fit was interrupted by ${run.signal}` : "the fit did not converge";
  printWrote(io, flags.format, [wroteLine("--out", plan, saved, why)]);
  if (run.signal) {
    io.err(`biograd: fit interrupted by ${run.signal}; the estimates are where it stopped`);
    return STOP_SIGNALS[run.signal];
  }
  if (!converged) io.err("biograd: the fit did not converge");
  return converged ? 0 : 1;
}
