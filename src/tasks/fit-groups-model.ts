import { InputError } from "../core/errors.js";
import { type CurveRecipe, curveRecipe } from "./curve-recipe.js";
import type { FieldLabels } from "./fit-curve-request.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";

/** The model of a grouped fit, compiled once and used for every group. */
export type GroupsModel = CurveRecipe;

/**
 * The part of `prepareCurveFit` that does not depend on the data, done once for all groups
 * (names checked, formula compiled), and the part that does (`specsFor`), done per group with
 * exactly the single fit's rules — so a group's fit is the single fit of its rows.
 */
export function prepareGroupsModel(request: FitGroupsRequest, labels: FieldLabels): GroupsModel {
  const recipe = curveRecipe(request, labels);
  for (const name of request.share ?? []) {
    if (!recipe.model.params.includes(name)) {
      throw new InputError(
        `--share: "${name}" is not a parameter of the model (parameters: ${recipe.model.params.join(", ")})`,
      );
    }
  }
  return recipe;
}
