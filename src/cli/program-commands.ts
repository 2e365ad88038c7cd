import { type Command, Option } from "commander";
import { SEED_DEFAULTS } from "../demos/seed-defaults.js";
import type { CompareFlags } from "./compare.js";
import { registerDemo } from "./demo-command.js";
import type { DemoSeedFlags } from "./demo-seed.js";
import type { CliIO } from "./io.js";
import { registerOde } from "./ode.js";
import type { PlotFlags } from "./plot.js";
import type { PredictFlags } from "./predict.js";
import { registerFit } from "./program-fit.js";
import { registerTrain } from "./program-train.js";
import { registerQueue } from "./queue.js";
import { registerServe } from "./serve.js";
import { optionInteger as int, optionLevel as level, optionNumber as num } from "./specs.js";
import { registerSweep } from "./sweep-command.js";

/**
 * Every command, in the order `biograd --help` lists them. Loaded (its own bundle) for every
 * command line but a fit's, which registers `fit` alone (program.ts). Each command's
 * implementation is imported when it runs, not here.
 */
export function registerCommands(
  program: Command,
  io: CliIO,
  setCode: (code: number) => void,
): void {
  const demo = registerDemo(program, io, setCode);
  demo
    .command("seed")
    .description(
      "The seed document's example: y = wx + b on MSE, gradient clipped to ±clip, SGD; " +
        "replays its numpy run (seed 42) exactly by default",
    )
    .option("--lr <rate>", "learning rate η", num("--lr"), SEED_DEFAULTS.lr)
    .option(
      "--clip <alpha>",
      "clipping range: gradients clipped to [-alpha, alpha]",
      num("--clip"),
      SEED_DEFAULTS.clip,
    )
    .option(
      "--iterations <n>",
      "iterations (full-batch epochs)",
      int("--iterations", 1),
      SEED_DEFAULTS.iterations,
    )
    .option("--seed <n>", "random seed for data and start", int("--seed"), SEED_DEFAULTS.seed)
    .addOption(
      new Option("--rng <kind>", "generator: numpy (MT19937, replays np.random) or xoshiro")
        .choices(["numpy", "xoshiro"])
        .default("numpy"),
    )
    .option("--faithful", "keep the seed code's bug: b is never updated")
    .option("--compare", "also run plain gradient descent without clipping and show both")
    .option(
      "--log-every <n>",
      "print the MSE every n iterations",
      int("--log-every", 1),
      SEED_DEFAULTS.logEvery,
    )
    .option("--data <file>", "use a CSV with columns x,y instead of generated data (needs --start)")
    .option("--start <w,b>", "starting w,b (with --data)")
    .option(
      "--plot <file>",
      "draw the MSE per iteration (both runs with --compare): FILE.svg or FILE.png",
    )
    .action(async (flags: DemoSeedFlags) => {
      const { demoSeed } = await import("./demo-seed.js");
      setCode(await demoSeed(flags, io));
    });

  registerTrain(program, io, setCode);
  registerFit(program, io, setCode);

  program
    .command("predict")
    .description(
      "Evaluate a saved model: a fit (`biograd fit --out`) at new x, a linear run (`train --out`) or a network (`train --save`) on a file's rows",
    )
    .argument("<fit>", "model JSON: `biograd fit --out`, linear `train --out` or `train --save`")
    .argument("[data]", "CSV/TSV with the columns the model was fitted on")
    .option("--at <values>", "x values, comma-separated (one-variable models)")
    .option("--out <file>", "write the predictions as CSV")
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter")
    .option("--sheet <name>", "an Excel workbook's sheet (default the first)")
    .addOption(
      new Option(
        "--interval <kind>",
        "curve fits: delta-method interval of the curve (confidence) or of a new observation (prediction); columns fit, lower, upper",
      ).choices(["confidence", "prediction"]),
    )
    .option("--level <p>", "the interval's level (default 0.95)", level("--level"))
    .option(
      "--allow-unconverged",
      "use a fit or linear run saved with converged: false (a *.failed.json)",
    )
    .action(async (fit: string, data: string | undefined, flags: PredictFlags) => {
      const { predictCommand } = await import("./predict.js");
      setCode(predictCommand(fit, data, flags, io));
    });

  program
    .command("compare")
    .description(
      "Fit several models to the same data (per group with --group) and compare them: RSS, AICc, Akaike weights, F test of nested pairs, the preferred model",
    )
    .argument("<file>", "CSV/TSV file with a header row, or an .xlsx workbook")
    .requiredOption(
      "--models <list>",
      "models, simplest first: 4pl,5pl (a consecutive pair with fewer parameters first is taken as nested and F-tested)",
    )
    .option("--x <columns>", "variable column(s), as for `biograd fit`")
    .option("--x-log10 <columns>", "fit on log10 of these column(s)")
    .requiredOption("--y <column>", "response column")
    .option("--group <columns>", "compare per group of rows with equal values in these columns")
    .option("--start <name=value,…>", "start values (for the models that have the parameter)")
    .option("--const <name=value,…>", "named constants in the formulas")
    .option("--bounds <name=lo:hi,…>", "bounds (for the models that have the parameter)")
    .option("--fix <name=value,…>", "hold parameters fixed (in the models that have them)")
    .option("--weights <column|1/y|1/y^2>", "weights: a column, or by the observed response")
    .option("--phases <list>", "clipped, lm (as for `biograd fit`)")
    .option("--alpha <p>", "significance level of the F tests (default 0.05)", level("--alpha"))
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter (default: by extension, tab for .tsv)")
    .option("--sheet <name>", "an Excel workbook's sheet (default the first)")
    .option(
      "--out <file>",
      "write the comparison: CSV (a row per group and model), or JSON for .json",
    )
    .addOption(new Option("--format <kind>", "output").choices(["table", "json"]).default("table"))
    .option("--no-codegen", "evaluate formulas with the interpreter instead of generated code")
    .action(async (file: string, flags: CompareFlags) => {
      const { compareCommand } = await import("./compare.js");
      setCode(compareCommand(file, flags, io));
    });

  program
    .command("models")
    .description("List the model library")
    .option("--verbose", "parameter meanings, self-start rules and references")
    .action(async (flags: { verbose?: boolean }) => {
      const { modelsCommand } = await import("./models.js");
      setCode(modelsCommand(flags, io));
    });

  program
    .command("plot")
    .description(
      "Draw a saved result: a fit (`fit --out`), a training run (`train --out`) or a sweep (`sweep --out x.json`)",
    )
    .argument("<result>", "result JSON")
    .requiredOption("--out <file>", "the picture: FILE.svg or FILE.png")
    .option("--width <px>", "PNG width in pixels (default 1200)", int("--width", 100))
    .action(async (result: string, flags: PlotFlags) => {
      const { plotCommand } = await import("./plot.js");
      setCode(await plotCommand(result, flags, io));
    });

  program
    .command("report")
    .description(
      "A self-contained HTML report of a saved fit, training run or sweep (opens offline)",
    )
    .argument("<result>", "result JSON")
    .requiredOption("--out <file>", "the report: FILE.html")
    .action(async (result: string, flags: { out: string }) => {
      const { reportCommand } = await import("./report.js");
      setCode(await reportCommand(result, flags, io));
    });

  registerSweep(program, io, setCode);
  registerOde(program, io, setCode);
  registerServe(program, io, setCode);
  registerQueue(program, io, setCode);
}
