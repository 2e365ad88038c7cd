import { type Command, Option } from "commander";
import { CLIP_FORMS, OPTIMIZER_FORMS, SCHEDULE_FORMS } from "../transforms/spec-text.js";
import type { CliIO } from "./io.js";
import {
  optionInteger as int,
  optionNonNegative as nonNegative,
  optionNumber as num,
} from "./specs.js";
import type { TrainFlags } from "./train.js";

/** `biograd train`'s options (its help names the transform specs' forms). */
export function registerTrain(program: Command, io: CliIO, setCode: (code: number) => void): void {
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
}
