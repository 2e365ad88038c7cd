export { jsonPath, parseWith } from "../core/schema.js";
export {
  type CompareModelsOptions,
  type CompareModelsResult,
  runCompareModels,
} from "./compare-models.js";
export { type CompareModelsRequest, compareModelsRequestSchema } from "./compare-request.js";
export { checkFormulaUses, type ResolvedModel, resolveModel } from "./curve-model.js";
export { computeWeights, parseWeights, type WeightsSpec } from "./curve-weights.js";
export { type DataSource, inlineNumeric, numericColumns, sourceName } from "./data-source.js";
export { dataSourceSchema } from "./data-source-schema.js";
export { type FitCurveOptions, runFitCurve } from "./fit-curve.js";
export {
  type FieldLabels,
  type FitCurveRequest,
  fitCurveRequestSchema,
  JSON_LABELS,
} from "./fit-curve-request.js";
export { type FitCurveResult, fitCurveResult } from "./fit-curve-result.js";
export { type PredictResult, runPredict } from "./predict.js";
export { type PredictRequest, predictRequestSchema } from "./predict-request.js";
export { type PreparedCurveFit, prepareCurveFit } from "./prepare-curve-fit.js";
export { runTask, type TaskResult, taskKinds } from "./run-task.js";
export { loadSavedFit, type SavedFit } from "./saved-fit.js";
export { runSweepCell, type SweepCellRequest, type SweepCellResult } from "./sweep-cell.js";
export type { TaskOptions, TaskProgress } from "./types.js";
