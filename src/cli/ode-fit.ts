import { capWorkers } from "../batch/workers.js";
import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import type { OdeFitRequest } from "../tasks/ode-fit-request.js";
import { parseAssignments, parseBounds } from "./fit-specs.js";
import type { CliIO } from "./io.js";
import { printOdeFit } from "./ode-fit-print.js";
import type { OdeFitFlags } from "./ode-fit-register.js";
import { checkPlot, writePlot } from "./plot-output.js";
import { printWrote, wroteLine } from "./wrote.js";

export type { OdeFitFlags } from "./ode-fit-register.js";

/** The request `biograd ode fit` sends to the `ode-fit` task. */
export function odeFitRequest(model: string, data: string, flags: OdeFitFlags): OdeFitRequest {
  const record = (option: string, text: string | undefined) =>
    text === undefined ? undefined : Object.fromEntries(parseAssignments(option, text));
  const start = record("--start", flags.start);
  const constants = record("--const", flags.const);
  const fix = record("--fix", flags.fix);
  const bounds =
    flags.bounds === undefined ? undefined : Object.fromEntries(parseBounds(flags.bounds));
  return {
    task: "ode-fit",
    model: { file: model },
    data: {
      file: data,
      ...(flags.na === undefined ? {} : { na: flags.na.split(",") }),
      ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }),
      ...(flags.sheet === undefined ? {} : { sheet: flags.sheet }),
    },
    time: flags.time,
    ...(start === undefined ? {} : { start }),
    ...(constants === undefined ? {} : { constants }),
    ...(fix === undefined ? {} : { fix }),
    ...(bounds === undefined ? {} : { bounds }),
    solver: flags.solver,
    ...(flags.rtol === undefined ? {} : { rtol: flags.rtol }),
    ...(flags.atol === undefined ? {} : { atol: flags.atol }),
    ...(flags.maxSteps === undefined ? {} : { maxSteps: flags.maxSteps }),
    ...(flags.level === undefined ? {} : { level: flags.level }),
    ...(flags.starts === undefined ? {} : { starts: flags.starts }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.profile ? { profile: true } : {}),
    ...(flags.continuation === false ? { continuation: false } : {}),
  };
}

/**
 * `biograd ode fit MODEL DATA --time t …`: the `ode-fit` task with an nls-style summary (or,
 * with `--format json`, the result's `result` object on the last line). `--out`/`--plot` are
 * checked before any work; a fit that did not converge is saved only as `*.failed.json`.
 */
export async function odeFitCommand(
  model: string,
  data: string,
  flags: OdeFitFlags,
  io: CliIO,
): Promise<number> {
  checkPlot(flags.plot);
  if (flags.seed !== undefined && flags.starts === undefined) {
    throw new InputError("--seed: only with --starts (the seed of the multistart's starts)");
  }
  const plan = planOutputs(
    [
      { option: "--out", path: flags.out },
      { option: "--plot", path: flags.plot },
    ],
    [model, data],
  );
  const { workers, capped } = capWorkers(flags.workers ?? 0);
  if (capped) io.err(`note: --workers ${flags.workers} is more than the cores; using ${workers}`);
  // Loaded here, not with the command's registration: only `ode fit` needs them.
  const { runOdeFit } = await import("../tasks/ode-fit.js");
  const { chartForResult } = await import("../report/result-chart.js");
  const doc = await runOdeFit(odeFitRequest(model, data, flags), { workers });
  const { converged } = doc.result;
  const saved = plan.save("--out", doc, { converged });
  if (flags.format === "json") io.out(JSON.stringify(doc.result));
  else printOdeFit(io, doc);
  const wrote = [wroteLine("--out", plan, saved, "the fit did not converge")];
  const plotted = await writePlot(plan, () => chartForResult(doc, data));
  if (plotted !== null) wrote.push(plotted);
  printWrote(io, flags.format, wrote);
  if (!converged) io.err("biograd: the ODE fit did not converge");
  return converged ? 0 : 1;
}
