import { InputError } from "../core/errors.js";
import { planSweep } from "../sweep/plan.js";
import { numericDataset, sourceColumns } from "../tasks/data-source.js";
import type { CliIO } from "./io.js";
import { given, parseFractions } from "./specs.js";
import { executeSweep } from "./sweep-execute.js";
import type { SweepTrainFlags } from "./sweep-flags.js";
import { commonSetup, type Setup, splitColumns } from "./sweep-setup.js";

const NETWORK = /^(logistic|mlp(:.*)?)$/;

/**
 * `biograd sweep train`: the grid over `biograd train` runs — the linear model (`train-linear`
 * task) or a network (`--model logistic|mlp:H1,H2[:activation]`, `train-network` task, with
 * its problem, split and preprocessing as `biograd train` takes them). Each cell is the
 * task's request with the setting's transform and the seed.
 */
export async function sweepTrain(file: string, flags: SweepTrainFlags, io: CliIO): Promise<number> {
  const network = NETWORK.test(flags.model);
  if (!network && flags.model !== "linear") {
    throw new InputError(
      `--model: unknown model "${flags.model}" (expected linear, logistic or mlp:H1,H2[:activation])`,
    );
  }
  const setup = commonSetup(file, flags, "train");
  const base = network ? networkRequest(flags, setup) : linearRequest(flags, setup);
  const plan = planSweep(setup.grid, (clip, lr, seed) => ({
    task: "sweep-cell",
    run: { ...base, data: setup.cellSource, transform: setup.transform(clip, lr), seed },
    dataSha256: setup.dataSha256,
  }));
  const batch = flags.batchSize ? `, batch ${flags.batchSize}` : network ? ", batch 32" : "";
  const budget = `${setup.optimizerName}, ${flags.epochs} epochs${batch}`;
  return executeSweep(io, "train", flags, setup, plan, budget);

  function linearRequest(flags: SweepTrainFlags, setup: Setup) {
    if (flags.x === undefined) {
      throw new InputError("--x: the linear model needs its feature columns (--x a,b,c)");
    }
    const x = splitColumns("--x", flags.x);
    const data = numericDataset(setup.source, x, flags.y); // the reader's checks, before any run
    io.out(`biograd sweep train: linear regression of ${data.target} on ${x.join(", ")}`);
    io.out(`data: ${data.source} (${data.rows} rows)`);
    return given({
      task: "train-linear" as const,
      x,
      y: flags.y,
      epochs: flags.epochs,
      batchSize: flags.batchSize,
      lossThreshold: flags.lossThreshold,
    });
  }

  function networkRequest(flags: SweepTrainFlags, setup: Setup) {
    const problem = flags.task ?? (flags.model === "logistic" ? "classify" : "regress");
    if (flags.model === "logistic" && problem !== "classify") {
      throw new InputError(
        "--task: logistic regression is a classifier; use --task classify or --model mlp:…",
      );
    }
    const columns = sourceColumns(setup.source);
    const x = flags.x === undefined ? undefined : splitColumns("--x", flags.x);
    for (const name of [flags.y, ...(x ?? [])]) {
      if (!columns.includes(name)) {
        throw new InputError(`${file}:1: no column "${name}" (columns: ${columns.join(", ")})`);
      }
    }
    const features = x ?? columns.filter((c) => c !== flags.y);
    io.out(
      `biograd sweep train: ${flags.model} (${problem}) of ${flags.y} on ${features.length} features`,
    );
    io.out(`data: ${file}; the seed also draws the split`);
    return given({
      task: "train-network" as const,
      x,
      y: flags.y,
      model: flags.model,
      problem,
      epochs: flags.epochs,
      batchSize: flags.batchSize,
      lossThreshold: flags.lossThreshold,
      split: parseFractions(flags.split),
      categorical:
        flags.categorical === undefined
          ? undefined
          : splitColumns("--categorical", flags.categorical),
      positive: flags.positive,
      dropout: flags.dropout,
      loss: flags.loss,
    });
  }
}
