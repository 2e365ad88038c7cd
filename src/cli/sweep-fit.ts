import { planSweep } from "../sweep/plan.js";
import { prepareCurveFit } from "../tasks/prepare-curve-fit.js";
import { CLI_LABELS, fitRequest } from "./fit-request.js";
import type { CliIO } from "./io.js";
import { executeSweep } from "./sweep-execute.js";
import type { SweepFitFlags } from "./sweep-flags.js";
import { commonSetup } from "./sweep-setup.js";

/**
 * `biograd sweep fit`: the grid over the clipped first-order phase of a curve fit. The flags
 * become the `fit-curve` request `biograd fit` makes (so `--x S=col,I=col`, `--weights` and
 * every message are fit's), prepared once here to check it before any run; each cell wraps
 * that request with the setting's transform, the step budget, the seed and the start jitter.
 */
export async function sweepFit(file: string, flags: SweepFitFlags, io: CliIO): Promise<number> {
  const setup = commonSetup(file, flags, "fit");
  const {
    phases: _phases,
    codegen: _codegen,
    ...request
  } = fitRequest(file, { ...flags, phases: "clipped", format: "table", codegen: true });
  const { model, y, source } = prepareCurveFit(request, CLI_LABELS);
  const plan = planSweep(setup.grid, (clip, lr, seed) => ({
    task: "sweep-cell",
    run: { ...request, data: setup.cellSource },
    firstOrder: {
      transform: setup.transform(clip, lr),
      steps: flags.steps,
      lossThreshold: flags.lossThreshold,
      seed,
      startJitter: flags.startJitter,
    },
    dataSha256: setup.dataSha256,
  }));
  io.out(
    `biograd sweep fit: ${model.name} ${model.formula} for ${request.y} on ${model.columns.join(", ")}`,
  );
  io.out(
    `data: ${source} (${y.length} rows); first-order phase only, loss = mean squared residual`,
  );
  const budget = `${setup.optimizerName}, ${flags.steps} steps, start jitter ${flags.startJitter}`;
  return executeSweep(io, "fit", flags, setup, plan, budget);
}
