import type { ResolvedModel } from "../tasks/curve-model.js";
import {
  checkFormulaUses as checkUses,
  resolveModel as resolveRequestModel,
} from "../tasks/curve-model.js";
import { CLI_LABELS } from "./fit-request.js";

/**
 * The old entry points of `biograd sweep fit`, kept as adapters over the task's model
 * resolution (src/tasks/curve-model.ts) until the sweep builds its cells with prepareCurveFit.
 */
export function resolveModel(
  text: string,
  columns: readonly string[],
  constants: ReadonlyMap<string, number>,
  given: readonly string[],
): ResolvedModel {
  return resolveRequestModel(
    {
      task: "fit-curve",
      data: { columns: {} },
      model: text,
      x: [...columns],
      y: "",
      start: Object.fromEntries(given.map((name) => [name, 1])),
      constants: Object.fromEntries(constants),
    },
    CLI_LABELS,
  );
}

export function checkFormulaUses(model: ResolvedModel): void {
  checkUses(model, CLI_LABELS);
}
