import { type Command, Option } from "commander";
import { capWorkers } from "../batch/workers.js";
import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import type { OdeFitRequest } from "../tasks/ode-fit-request.js";
import { parseAssignments, parseBounds } from "./fit-specs.js";
import type { CliIO } from "./io.js";
import { printOdeFit } from "./ode-fit-print.js";
import { checkPlot, writePlot } from "./plot-output.js";
import { parseInteger, parseNumber } from "./specs.js";
import { printWrote, wroteLine } from "./wrote.js";

export interface OdeFitFlags {
  time: string;
  start?: string;
  const?: string;
  bounds?: string;
  fix?: string;
  solver: "auto" | "dopri5" | "rodas";
  rtol?: number;
  atol?: number;
  maxSteps?: number;
  level?: number;
  starts?: number;
  seed?: number;
  workers?: number;
  profile?: boolean;
  continuation: boolean;
  na?: string;
  delimiter?: string;
  sheet?: string;
  format: "table" | "json";
  out?: string;
  plot?: string;
}

const positive = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (!(x > 0)) throw new InputError(`${flag}: expected a number > 0, got "${v}"`);
  return x;
};

/** Registers `biograd ode fit` under the `ode` command group. */
export function registerOdeFit(ode: Command, io: CliIO, setCode: (code: number) => void): void {
  ode
    .command("fit")
    .description(
      "Fit a model file's parameters to wide data (a time column, one column per observable)",
    )
    .argument("<model>", "model file (.yaml, .yml or .json; see docs/ODE.md)")
    .argument("<data>", "CSV, TSV or .xlsx file: a time column and one column per observable")
    .requiredOption("--time <column>", "the data column holding the times")
    .option("--start <values>", "start values name=value,… (override the model file)")
    .option("--const <values>", "constants name=value,… (override the model file)")
    .option("--bounds <values>", "bounds name=lower:upper,… (inf allowed; reparameterised)")
    .option("--fix <values>", "hold parameters fixed: name=value,…")
    .addOption(
      new Option("--solver <name>", "auto: Dormand–Prince, switching to Rodas when stiff")
        .choices(["auto", "dopri5", "rodas"])
        .default("auto"),
    )
    .option(
      "--rtol <x>",
      "relative tolerance of the integrator (default 1e-11)",
      positive("--rtol"),
    )
    .option(
      "--atol <x>",
      "absolute tolerance of the integrator (default 1e-13)",
      positive("--atol"),
    )
    .option("--max-steps <n>", "integrator step limit per run", (v: string) =>
      parseInteger("--max-steps", v, 1),
    )
    .option(
      "--level <p>",
      "confidence level of intervals and bands (default 0.95)",
      (v: string) => {
        const x = parseNumber("--level", v);
        if (!(x > 0 && x < 1))
          throw new InputError(`--level: expected a number in (0, 1), got "${v}"`);
        return x;
      },
    )
    .option("--starts <n>", "multistart: this many seeded Latin-hypercube starts", (v: string) =>
      parseInteger("--starts", v, 1),
    )
    .option("--seed <n>", "seed of the starts (default 1)", (v: string) =>
      parseInteger("--seed", v, 0),
    )
    .option("--workers <n>", "with --starts: worker threads (0: this thread)", (v: string) =>
      parseInteger("--workers", v, 0),
    )
    .option("--profile", "profile likelihood of every free parameter")
    .option(
      "--no-continuation",
      "skip the time-horizon continuation (fitting growing windows of the data first)",
    )
    .option("--na <tokens>", "cell values that mean 'not measured' besides an empty cell (a,b,…)")
    .option("--delimiter <c>", "field delimiter (default: by extension)")
    .option("--sheet <name>", "the sheet of an .xlsx workbook")
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "json"]).default("table"),
    )
    .option("--out <file>", "save the fit as JSON (for `biograd report` and --plot)")
    .option("--plot <file>", "draw the trajectories (and waterfall, profiles) as .svg or .png")
    .action(async (model: string, data: string, flags: OdeFitFlags) =>
      setCode(await odeFitCommand(model, data, flags, io)),
    );
}

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
