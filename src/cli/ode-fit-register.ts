import { type Command, Option } from "commander";
import { InputError } from "../core/errors.js";
import type { CliIO } from "./io.js";
import { parseInteger, parseNumber } from "./specs.js";

// `biograd ode fit`'s options apart from its implementation (./ode-fit.ts), which is imported
// only when the command runs: every other command registers these options too, and loading
// the ODE fit's outputs, printing and plotting code cost each `biograd fit` process its time.

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
    .action(async (model: string, data: string, flags: OdeFitFlags) => {
      const { odeFitCommand } = await import("./ode-fit.js");
      setCode(await odeFitCommand(model, data, flags, io));
    });
}
