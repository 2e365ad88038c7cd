import { Command, CommanderError, Option } from "commander";
import { BiogradError, type ErrorCode, InputError } from "../core/errors.js";
import { SEED_DEFAULTS } from "../demos/seed-defaults.js";
import { describeIoError, errnoCode } from "../io/write-error.js";
import { VERSION } from "../version.js";
import type { CompareFlags } from "./compare.js";
import { registerDemo } from "./demo-command.js";
import type { DemoSeedFlags } from "./demo-seed.js";
import type { FitFlags } from "./fit.js";
import type { FitGroupsFlags } from "./fit-groups.js";
import type { CliIO } from "./io.js";
import { registerOde } from "./ode.js";
import type { PlotFlags } from "./plot.js";
import type { PredictFlags } from "./predict.js";
import { registerQueue } from "./queue.js";
import { registerServe } from "./serve.js";
import { CLIP_FORMS, OPTIMIZER_FORMS, parseInteger, parseNumber, SCHEDULE_FORMS } from "./specs.js";
import { registerSweep } from "./sweep-command.js";
import type { TrainFlags } from "./train.js";

// Every command's implementation is imported when it runs, not here: `biograd fit` then
// loads the fit's modules only, not training, sweeps, reports, the server or the queue
// (bench/startup/RESULTS.md; test/cli/fit-import-graph.test.ts checks it). The options are
// all declared here, so `--help` and option errors need no command's module.

/** Exit codes: 0 success, 1 failure, 2 usage or input error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const num = (flag: string) => (v: string) => parseNumber(flag, v);
const nonNegative = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (x < 0) throw new InputError(`${flag}: expected a number >= 0, got "${v}"`);
  return x;
};
const level = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (!(x > 0 && x < 1)) throw new InputError(`${flag}: expected a number in (0, 1), got "${v}"`);
  return x;
};
const int =
  (flag: string, min = 0) =>
  (v: string) =>
    parseInteger(flag, v, min);

function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command("biograd")
    .description("Train and fit biological prediction models with gradient clipping")
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: (s, write) => write(`biograd: ${s.replace(/^error: /, "").trimEnd()}\n`),
    });

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

  program
    .command("train")
    .description("Train a model on a CSV/TSV file with gradient clipping in every step")
    .argument("<file>", "CSV or TSV file with a header row")
    .requiredOption("--y <column>", "target column (class labels for --task classify)")
    .option("--x <columns>", "feature columns, comma-separated (networks: default all but --y)")
    .option(
      "--model <name>",
      "linear | logistic | mlp:H1,H2[:relu|tanh|sigmoid|gelu|softplus|leaky-relu]",
      "linear",
    )
    .addOption(
      new Option("--task <task>", "networks: regress or classify").choices(["regress", "classify"]),
    )
    .option("--clip <spec>", CLIP_FORMS, "global-norm:1")
    .option("--optimizer <spec>", OPTIMIZER_FORMS, "adam:0.01")
    .option("--schedule <spec>", `learning-rate schedule: ${SCHEDULE_FORMS}`, "constant")
    .option("--warmup <steps>", "linear learning-rate warm-up steps", int("--warmup"), 0)
    .addOption(
      new Option(
        "--on-non-finite <policy>",
        "the non-finite guard (first in every chain): error, skip the step, or zero the entries",
      )
        .choices(["error", "skip", "zero"])
        .default("error"),
    )
    .option("--epochs <n>", "epoch budget", int("--epochs", 1), 1000)
    .option(
      "--batch-size <n>",
      "rows per step (linear: all rows; networks: 32)",
      int("--batch-size", 1),
    )
    .option(
      "--loss-threshold <t>",
      "stop when the epoch loss is <= t",
      nonNegative("--loss-threshold"),
    )
    .option("--patience <n>", "stop after n epochs without improvement", int("--patience", 1))
    .option("--min-delta <d>", "improvement that counts for --patience", nonNegative("--min-delta"))
    .option(
      "--workers <n>",
      "threads for the loss and gradient (this + n−1; networks: of each mini-batch)",
      int("--workers", 1),
    )
    .option(
      "--early-stopping <n>",
      "networks: stop after n epochs without validation improvement (best restored)",
      int("--early-stopping", 1),
    )
    .option(
      "--split <fractions>",
      "networks: train,validation,test fractions (default 0.7,0.15,0.15)",
    )
    .option("--categorical <columns>", "networks: feature columns to one-hot encode")
    .option("--positive <label>", "binary classification: the positive class")
    .option("--dropout <rate>", "networks: dropout after each hidden layer", num("--dropout"))
    .addOption(
      new Option("--loss <name>", "networks, regression: mse or huber").choices(["mse", "huber"]),
    )
    .addOption(
      new Option("--dtype <type>", "networks: precision of the matrix products").choices([
        "float64",
        "float32",
      ]),
    )
    .option("--class-weights <w0,w1,…|balanced>", "networks, classification: class weights")
    .option("--seed <n>", "seed for starting values, splits and shuffling", int("--seed"), 0)
    .option(
      "--log-every <n>",
      "progress line every n epochs (non-terminal output)",
      int("--log-every", 1),
    )
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter (default: by extension, tab for .tsv)")
    .option("--sheet <name>", "an Excel workbook's sheet (default the first)")
    .option(
      "--out <file>",
      "write the run (settings, parameters, history) as JSON; linear: also the model for `biograd predict`",
    )
    .option("--save <file>", "networks: save the trained model (for `biograd predict`)")
    .option(
      "--checkpoint <file>",
      "write a checkpoint every --checkpoint-every epochs and when stopped",
    )
    .option(
      "--checkpoint-every <n>",
      "epochs between checkpoints (default 1000, at most about 100 a run)",
      int("--checkpoint-every", 1),
    )
    .option("--resume-from <file>", "continue the run saved in a --checkpoint file (same options)")
    .option("--history-jsonl <file>", "stream every epoch's record to a JSON-lines file")
    .option("--plot <file>", "draw the loss and gradient norms per epoch: FILE.svg or FILE.png")
    .addOption(
      new Option("--format <kind>", "output: a table, or the run as one JSON object")
        .choices(["table", "json"])
        .default("table"),
    )
    .action(async (file: string, flags: TrainFlags) => {
      const { trainCommand } = await import("./train.js");
      setCode(await trainCommand(file, flags, io));
    });

  program
    .command("fit")
    .description("Fit a mechanistic model (library name or formula) with an nls-style summary")
    .argument("<file>", "CSV or TSV file with a header row")
    .requiredOption(
      "--model <name|formula>",
      'library model (see `biograd models`) or a formula such as "Vm*x/(K+x)"',
    )
    .option(
      "--x <columns>",
      "variable column(s): conc, or by name S=substrate,I=inhibitor (formulas may quote names: `conc (uM)`)",
    )
    .option(
      "--x-log10 <columns>",
      "fit on log10 of these column(s) (e.g. a 4pl on concentrations: --x-log10 conc); replaces or refines --x",
    )
    .requiredOption("--y <column>", "response column")
    .option(
      "--start <name=value,…>",
      "start values (library models start themselves from the data)",
    )
    .option("--const <name=value,…>", "named constants in the formula, e.g. Dose=4.02")
    .option("--bounds <name=lo:hi,…>", "bounds as a reparameterisation, e.g. K=0:inf,n=0.5:4")
    .option("--fix <name=value,…>", "hold parameters fixed")
    .option("--weights <column|1/y|1/y^2>", "weights: a column, or by the observed response")
    .option(
      "--phases <list>",
      "clipped (robust first-order phase), lm (Levenberg–Marquardt polish); default: LM from the start, the clipped phase first when that fails",
    )
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter (default: by extension, tab for .tsv)")
    .option("--sheet <name>", "an Excel workbook's sheet (default the first)")
    .option("--out <file>", "write the fit as JSON (for `biograd predict`)")
    .option("--residuals <file>", "write each row's x, y, fitted value, residual and weight as CSV")
    .option(
      "--plot <file>",
      "draw the fit (data, curve, confidence and prediction bands, residuals, Q-Q): FILE.svg or FILE.png",
    )
    .addOption(
      new Option("--ci <method>", "intervals: wald, or profile (profile likelihood beside Wald)")
        .choices(["wald", "profile"])
        .default("wald"),
    )
    .addOption(new Option("--format <kind>", "output").choices(["table", "json"]).default("table"))
    .option("--no-codegen", "evaluate formulas with the interpreter instead of generated code")
    .option("--group <columns>", "fit each group of rows on its own: compound or compound,plate")
    .option("--share <params>", "with --group: one global fit with these parameters common")
    .option("--compare-shared", "with --share: F test and ΔAICc against the unshared fit")
    .option("--fast", "with --group: the many-curves engine (agrees with the exact one to ~1e-7)")
    .option("--workers <n>", "with --group: worker threads (0: this thread)", int("--workers", 0))
    .option(
      "--resume <journal.jsonl>",
      "with --group: journal finished groups; skip those it holds",
    )
    .option("--quiet", "with --group: no progress on stderr")
    .action(async (file: string, flags: FitFlags & FitGroupsFlags) => {
      // Each loads its own bundle (scripts/bundle-cli.mjs): a grouped fit does not load the
      // single fit's code first.
      if (flags.group !== undefined) {
        const { fitGroupsCommand } = await import("./fit-groups.js");
        setCode(await fitGroupsCommand(file, flags, io));
        return;
      }
      const { fitCommand } = await import("./fit.js");
      setCode(await fitCommand(file, flags, io));
    });

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
  return program;
}

/** Every BiogradError code; the Record type makes a new code a type error until listed here. */
const ERROR_CODES: Readonly<Record<ErrorCode, true>> = {
  invalid_option: true,
  unknown_option: true,
  non_finite_gradient: true,
  bad_input: true,
  shape_mismatch: true,
  write_failed: true,
};

/**
 * A BiogradError thrown by any bundle of the CLI. Each command's bundle holds its own copy of
 * src/core/errors.ts (scripts/bundle-cli.mjs), so `instanceof` sees only this file's copy:
 * an Error carrying one of the codes is one too (system errors' codes are ENOENT, EPIPE, …).
 */
function isBiogradError(error: unknown): error is BiogradError {
  if (error instanceof BiogradError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** Error codes that mean the run failed (exit 1); every other BiogradError is bad input (exit 2). */
const FAILURE_CODES: ReadonlySet<string> = new Set(["non_finite_gradient", "write_failed"]);

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isBiogradError(error)) {
      io.err(`biograd: ${error.message}`);
      return FAILURE_CODES.has(error.code) ? EXIT.failure : EXIT.usage;
    }
    reportUnexpected(error, io);
    return EXIT.failure;
  }
}

/**
 * An error no command turned into a message. A system I/O error (disk full, I/O error,
 * read-only file system) is the machine's, not a bug: one line. Anything else is a bug:
 * one line asking for a report; the stack only with BIOGRAD_DEBUG=1.
 */
function reportUnexpected(error: unknown, io: CliIO): void {
  const errno = errnoCode(error);
  if (errno !== undefined && MACHINE_ERRORS.has(errno)) {
    const path = (error as NodeJS.ErrnoException).path;
    io.err(`biograd: ${path ? `${path}: ` : ""}${describeIoError(error)}`);
    return;
  }
  const text = error instanceof Error ? error.message || error.name : String(error);
  const message = text.split("\n")[0]!.trim();
  io.err(
    `biograd: internal error: ${message} — please report it; set BIOGRAD_DEBUG=1 for the stack`,
  );
  if (process.env.BIOGRAD_DEBUG && process.env.BIOGRAD_DEBUG !== "0" && error instanceof Error) {
    io.err(error.stack ?? error.message);
  }
}

const MACHINE_ERRORS: ReadonlySet<string> = new Set([
  "ENOSPC",
  "EDQUOT",
  "EIO",
  "EROFS",
  "EFBIG",
  "EPIPE",
  "EMFILE",
  "ENFILE",
]);
