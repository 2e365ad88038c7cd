import { type Command, Option } from "commander";
import { defaultWorkers } from "../batch/workers.js";
import { InputError } from "../core/errors.js";
import {
  CLIP_GRID_FORMS,
  DEFAULT_CLIP_KINDS,
  DEFAULT_THRESHOLDS,
  EXPLODE_FACTOR,
  OPTIMIZER_GRID_FORMS,
  WITHIN_FACTOR,
} from "../sweep/defaults.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import type { CliIO } from "./io.js";
import { parseInteger, parseNumber } from "./specs.js";
import { DEFAULT_LRS, type SweepFitFlags, type SweepTrainFlags } from "./sweep-flags.js";

/**
 * `biograd sweep train|fit FILE …`: choosing the clipping range by experiment (the seed
 * document's FAQ 2). A grid of clips (the unclipped baseline always included) × learning
 * rates × seeds runs on worker threads through the library; the output ranks the settings
 * and recommends a threshold range with its evidence. Usage errors exit 2 before any run.
 */

export function registerSweep(program: Command, io: CliIO, setCode: (code: number) => void): void {
  const sweep = program
    .command("sweep")
    .description(
      "Choose the clipping range by experiment: clips × learning rates × seeds on worker threads, ranked, with a recommendation",
    );
  const train = sweep
    .command("train")
    .description(
      "Sweep `biograd train` runs: the linear model, or a network (--model logistic|mlp:H1,H2)",
    )
    .argument("<file>", "CSV or TSV file with a header row")
    .option("--x <columns>", "feature columns, comma-separated (networks: default all but --y)")
    .requiredOption("--y <column>", "target column")
    .option("--model <name>", "linear | logistic | mlp:H1,H2[:activation]", "linear")
    .option("--epochs <n>", "epoch budget of each run", int("--epochs", 1), 1000)
    .option(
      "--batch-size <n>",
      "rows per step (linear: all rows; networks: 32)",
      int("--batch-size", 1),
    )
    .addOption(
      new Option(
        "--task <kind>",
        "networks: regress or classify (default: logistic classifies)",
      ).choices(["regress", "classify"]),
    )
    .option(
      "--split <fractions>",
      "networks: train,validation,test fractions (default 0.7,0.15,0.15; the seed draws it)",
    )
    .option("--categorical <columns>", "networks: feature columns to one-hot encode")
    .option("--positive <label>", "binary classification: the positive class")
    .option("--dropout <rate>", "networks: dropout after each hidden layer", num("--dropout"))
    .addOption(
      new Option("--loss <name>", "networks, regression: mse or huber").choices(["mse", "huber"]),
    );
  // Each sweep's modules load when it runs (program.ts).
  gridOptions(train, "train", "sgd", "error").action(
    async (file: string, flags: SweepTrainFlags) => {
      const { sweepTrain } = await import("./sweep-train.js");
      setCode(await sweepTrain(file, flags, io));
    },
  );

  const fit = sweep
    .command("fit")
    .description(
      "Sweep the clipped first-order phase of `biograd fit` (no Levenberg–Marquardt polish)",
    )
    .argument("<file>", "CSV or TSV file with a header row")
    .requiredOption("--model <name|formula>", "library model or formula, as for `biograd fit`")
    .requiredOption(
      "--x <columns>",
      "variable column(s), as for `biograd fit`: conc, or by name S=substrate,I=inhibitor",
    )
    .requiredOption("--y <column>", "response column")
    .option("--start <name=value,…>", "start values (library models start themselves)")
    .option("--const <name=value,…>", "named constants in the formula")
    .option("--bounds <name=lo:hi,…>", "bounds as a reparameterisation")
    .option("--fix <name=value,…>", "hold parameters fixed")
    .option("--weights <column|1/y|1/y^2>", "weights: a column, or by the observed response")
    .option("--steps <n>", "first-order step budget of each run", int("--steps", 1), 3000)
    .option(
      "--start-jitter <s>",
      "seed s > 0 moves each free parameter's internal coordinate by s·N(0,1); seed 0 keeps the start",
      nonNegative("--start-jitter"),
      0.5,
    );
  gridOptions(fit, "fit", "adam", "skip").action(async (file: string, flags: SweepFitFlags) => {
    const { sweepFit } = await import("./sweep-fit.js");
    setCode(await sweepFit(file, flags, io));
  });
}

function gridOptions(
  cmd: Command,
  kind: "train" | "fit",
  optimizer: string,
  onNonFinite: NonFinitePolicy,
): Command {
  return cmd
    .option(
      "--clip <list>",
      `clip settings, comma-separated: ${CLIP_GRID_FORMS} ("none" is always added)`,
    )
    .option(
      "--clip-kinds <list>",
      `clip kinds (any of --clip's, with settings: zclip,warmup-steps=10), crossed with --thresholds (default ${DEFAULT_CLIP_KINDS})`,
    )
    .option("--thresholds <list>", `thresholds for --clip-kinds (default ${DEFAULT_THRESHOLDS})`)
    .option("--lr <list>", `learning rates (default ${DEFAULT_LRS[kind]})`)
    .option(
      "--optimizer <spec>",
      `${OPTIMIZER_GRID_FORMS} (the train grammar; rates from --lr)`,
      optimizer,
    )
    .option("--seeds <n|list>", "N (seeds 0…N-1) or a list such as 1,5,9 or 0-4", "3")
    .option(
      "--loss-threshold <t>",
      kind === "train"
        ? "stop a run when its epoch loss is <= t; the epochs to reach it are reported"
        : "report the steps until the loss is <= t (the phase runs on to its own stop)",
      nonNegative("--loss-threshold"),
    )
    .addOption(
      new Option(
        "--on-non-finite <policy>",
        "the non-finite guard on NaN/Inf gradients (error: the run stops and counts as diverged)",
      )
        .choices(["error", "skip", "zero"])
        .default(onNonFinite),
    )
    .option(
      "--workers <n>",
      `worker threads, at most the cores (default: all, ${defaultWorkers()} here; 0: run in this thread)`,
      int("--workers", 0),
    )
    .option(
      "--budget <runs:N|epochs:N>",
      "cap the work: at most N runs, or N planned epochs in all",
    )
    .option(
      "--resume <journal.jsonl>",
      "append each finished run to this journal; skip the runs it holds",
    )
    .option("--out <file>", "write the results: .json (everything) or .csv (one row per run)")
    .option("--plot <file>", "draw the heat map of threshold × learning rate: FILE.svg or FILE.png")
    .option(
      "--within <factor>",
      "recommend settings whose every run ends within this factor of the best loss",
      atLeast("--within", 1),
      WITHIN_FACTOR,
    )
    .option(
      "--explode-factor <f>",
      "a last loss above f × the initial loss counts as diverged",
      atLeast("--explode-factor", 1),
      EXPLODE_FACTOR,
    )
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter (default: by extension, tab for .tsv)")
    .option("--sheet <name>", "an Excel workbook's sheet (default the first)");
}

const int = (flag: string, min: number) => (v: string) => parseInteger(flag, v, min);
const num = (flag: string) => (v: string) => parseNumber(flag, v);
const nonNegative = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (x < 0) throw new InputError(`${flag}: expected a number >= 0, got "${v}"`);
  return x;
};
const atLeast = (flag: string, min: number) => (v: string) => {
  const x = parseNumber(flag, v);
  if (x < min) throw new InputError(`${flag}: expected a number >= ${min}, got "${v}"`);
  return x;
};
