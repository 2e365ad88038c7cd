import { planSweep } from "../sweep/plan.js";
import type { CliIO } from "./io.js";
import { executeSweep } from "./sweep-execute.js";
import { sweepFitRecipe } from "./sweep-fit-recipe.js";
import type { SweepFitFlags } from "./sweep-flags.js";
import { commonSetup, splitColumns } from "./sweep-setup.js";

/** `biograd sweep fit`: the grid over the clipped first-order phase of a curve fit. */
export async function sweepFit(file: string, flags: SweepFitFlags, io: CliIO): Promise<number> {
  const columns = splitColumns(flags.x);
  const setup = commonSetup(file, flags, "fit");
  const { model, data, constObject, parameters } = sweepFitRecipe(file, columns, flags);
  const plan = planSweep(setup.grid, (clip, lr, seed) => ({
    command: "fit",
    ...setup.dataFields(columns),
    formula: model.formula,
    variables: model.variables,
    constants: constObject,
    parameters,
    clip,
    optimizer: setup.optimizer(lr),
    onNonFinite: flags.onNonFinite,
    steps: flags.steps,
    lossThreshold: flags.lossThreshold ?? null,
    seed,
    startJitter: flags.startJitter,
  }));
  io.out(
    `biograd sweep fit: ${model.name} ${model.formula} for ${data.target} on ${columns.join(", ")}`,
  );
  io.out(
    `data: ${data.source} (${data.rows} rows); first-order phase only, loss = mean squared residual`,
  );
  const budget = `${setup.optimizerName}, ${flags.steps} steps, start jitter ${flags.startJitter}`;
  return executeSweep(io, "fit", flags, setup, plan, budget);
}
