import { planOutputs } from "../io/output-plan.js";
import { runCheckedFitCurve } from "../tasks/fit-curve-checked.js";
import type { CurveResiduals } from "../tasks/fit-curve-residuals.js";
import type { FitCurveResult } from "../tasks/fit-curve-result.js";
import { csvText } from "./csv-text.js";
import type { FitGroupsFlags } from "./fit-groups.js";
import { printFit } from "./fit-output.js";
import { CLI_LABELS, type FitFlags, fitRequest } from "./fit-request.js";
import { withinRequestLimits } from "./fit-request-limits.js";
import type { CliIO } from "./io.js";
import { printWrote, wroteLine } from "./wrote.js";

export type { FitFlags } from "./fit-request.js";

/**
 * `biograd fit FILE --model … --x … --y …`: the `fit-curve` task with an nls-style summary.
 * `--out` is checked before any work; a fit that did not converge is saved only beside it, as
 * `fit.failed.json` with `converged: false`, never over an existing fit. The fit runs in this
 * thread, with no signal listener: SIGINT/SIGTERM end the process at once (130/143) with
 * nothing written (a single curve fit takes milliseconds; see train-runner.ts's runHere).
 */
export async function fitCommand(file: string, flags: FitFlags, io: CliIO): Promise<number> {
  // Grouped fits and pictures load their modules only when asked for (startup time).
  if ((flags as FitGroupsFlags).group !== undefined) {
    const { fitGroupsCommand } = await import("./fit-groups.js");
    return fitGroupsCommand(file, flags, io);
  }
  const picture = flags.plot === undefined ? null : await import("./fit-picture.js");
  picture?.checkPlot(flags.plot);
  const plan = planOutputs(
    [
      { option: "--out", path: flags.out },
      { option: "--residuals", path: flags.residuals },
      { option: "--plot", path: flags.plot },
    ],
    [file],
  );
  const request = fitRequest(file, flags);
  // Called directly, not through the task dispatcher (tasks/run-task.ts), which would bring
  // every task's code into the fit's bundle (scripts/bundle-cli.mjs). A request within the
  // schema's limits is not checked again, so a fit loads no zod; any other is checked by the
  // schema (its own bundle, loaded on demand), which names the bad field.
  const checked = withinRequestLimits(request)
    ? request
    : (await import("./fit-request-schema.js")).checkFitRequest(request);
  const result = runCheckedFitCurve(checked, { labels: CLI_LABELS });
  // The rows go to --residuals only; the saved fit and the JSON output stay small.
  const { residuals, ...doc } = result as FitCurveResult & { residuals?: CurveResiduals };
  const { converged } = doc.result;
  const saved = plan.save("--out", doc, { converged });
  if (flags.residuals !== undefined && residuals !== undefined) {
    plan.write("--residuals", csvText(residuals.columns, residuals.rows));
  }
  if (flags.format === "json") io.out(JSON.stringify(doc.result));
  else printFit(io, doc);
  const wrote = [wroteLine("--out", plan, saved, "the fit did not converge")];
  if (flags.residuals !== undefined && residuals !== undefined) {
    wrote.push(`wrote ${flags.residuals} (${residuals.rows.length} rows)`);
  }
  // The picture of a fit that did not converge is drawn too: it shows why.
  const plotted = await picture?.writePlot(plan, () => picture.chartForResult(doc, file));
  if (plotted) wrote.push(plotted);
  printWrote(io, flags.format, wrote);
  if (!converged) io.err("biograd: the fit did not converge");
  return converged ? 0 : 1;
}
