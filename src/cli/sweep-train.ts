import { readDataset } from "../data/csv.js";
import { planSweep } from "../sweep/plan.js";
import type { CliIO } from "./io.js";
import { executeSweep } from "./sweep-execute.js";
import type { SweepTrainFlags } from "./sweep-flags.js";
import { commonSetup, dataOptions, splitColumns } from "./sweep-setup.js";

/** `biograd sweep train`: the grid over `biograd train` runs of the linear model. */
export async function sweepTrain(file: string, flags: SweepTrainFlags, io: CliIO): Promise<number> {
  const columns = splitColumns(flags.x);
  const setup = commonSetup(file, flags, "train");
  const data = readDataset(file, dataOptions(columns, flags));
  const plan = planSweep(setup.grid, (clip, lr, seed) => ({
    command: "train",
    ...setup.dataFields(columns),
    model: "linear",
    clip,
    optimizer: setup.optimizer(lr),
    onNonFinite: flags.onNonFinite,
    epochs: flags.epochs,
    batchSize: flags.batchSize ?? null,
    lossThreshold: flags.lossThreshold ?? null,
    seed,
  }));
  io.out(`biograd sweep train: linear regression of ${data.target} on ${columns.join(", ")}`);
  io.out(`data: ${data.source} (${data.rows} rows)`);
  const budget = `${setup.optimizerName}, ${flags.epochs} epochs${flags.batchSize ? `, batch ${flags.batchSize}` : ""}`;
  return executeSweep(io, "train", flags, setup, plan, budget);
}
