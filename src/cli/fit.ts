import { planOutputs } from "../io/output-plan.js";
import { chartForResult } from "../report/result-chart.js";
import type { CurveResiduals } from "../tasks/fit-curve-residuals.js";
import type { FitCurveResult } from "../tasks/fit-curve-result.js";
import { csvText } from "./csv-text.js";
import { type FitGroupsFlags, fitGroupsCommand } from "./fit-groups.js";
import { printFit } from "./fit-output.js";
import { CLI_LABELS, type FitFlags, fitRequest } from "./fit-request.js";
import type { CliIO } from "./io.js";
import { checkPlot, writePlot } from "./plot-output.js";
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
  checkPlot(flags.plot);
  const plan = planOutputs(
    [
      { option: "--out", path: flags.out },
      { option: "--residuals", path: flags.residuals },
      { option: "--plot", path: flags.plot },
    ],
    [file],
  );
  const request = fitRequest(file, flags);
  const run = await runStoppable({ request, labels: CLI_LABELS }, {});
  // The rows go to --residuals only; the saved fit and the JSON output stay small.
  const { residuals, ...doc } = run.result as FitCurveResult & { residuals?: CurveResiduals };
  const { converged } = doc.result;
  const saved = plan.save("--out", doc, { converged });
  if (flags.residuals !== undefined && residuals !== undefined) {
    plan.write("--residuals", csvText(residuals.columns, residuals.rows));
  }
  if (flags.format === "json") io.out(JSON.stringify(doc.result));
  else printFit(io, doc);
  const why = run.signal ? `the fit was interrupted by ${run.signal}` : "the fit did not converge";
  const wrote = [wroteLine("--out", plan, saved, why)];
  if (flags.residuals !== undefined && residuals !== undefined) {
    wrote.push(`wrote ${flags.residuals} (${residuals.rows.length} rows)`);
  }
  // The picture of a fit that did not converge is drawn too: it shows why.
  const plotted = await writePlot(plan, () => chartForResult(doc, file));
  if (plotted !== null) wrote.push(plotted);
  printWrote(io, flags.format, wrote);
  if (run.signal) {
    io.err(`biograd: fit interrupted by ${run.signal}; the estimates are where it stopped`);
    return STOP_SIGNALS[run.signal];
  }
  if (!converged) io.err("biograd: the fit did not converge");
  return converged ? 0 : 1;
}
