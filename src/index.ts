export type { CurveFunction, LeastSquaresProblem } from "./core/curve.js";
export * from "./core/errors.js";
export * from "./core/layout.js";
export type { Model, RowRange } from "./core/model.js";
export * from "./core/norms.js";
export * from "./core/rng.js";
export { jsonPath, jsonPathText, parseWith } from "./core/schema.js";
export { parseDataset, readDataset, readDatasetWithReport } from "./data/csv.js";
export type { Dataset } from "./data/dataset.js";
export {
  type CompiledFormula,
  compileFormula,
  FormulaError,
  type FormulaSpec,
} from "./formula/index.js";
export * from "./io/index.js";
export * from "./learn/evaluate.js";
export { type PreparedData, type Preprocessing, prepareData } from "./learn/prepare.js";
export {
  loadNetwork,
  networkToJSON,
  predictNetwork,
  type SavedNetwork,
} from "./learn/saved-network.js";
export {
  buildNetwork,
  type NetworkRun,
  type NetworkSpec,
  type NetworkTrainOptions,
  networkBuild,
  trainNetwork,
} from "./learn/train-network.js";
export * from "./metrics/index.js";
export { type LinearModel, linearModel } from "./models/linear.js";
export { type ParallelLinearModel, parallelLinearModel } from "./models/parallel-linear.js";
export { type CurveData, curveProblem } from "./nls/curve-problem.js";
export { type FirstOrderOptions, firstOrder } from "./nls/first-order.js";
export { type CurveFit, type FitOptions, fitCurve, type PhaseReport } from "./nls/fit-curve.js";
export * from "./nls/global/index.js";
export { findModel, type LibraryModel, MODELS } from "./nls/library/index.js";
export * from "./nls/many/index.js";
export { type ParameterSpec, parameterise } from "./nls/parameters.js";
export * from "./nls/quality/index.js";
export {
  type LmOptions,
  type LmResult,
  type LmStopCode,
  levenbergMarquardt,
} from "./nls/solvers/index.js";
export * from "./nls/stats/index.js";
export * from "./nn/index.js";
export * from "./ode/integrate/index.js";
export * from "./ode/model/index.js";
export type * from "./ode/types.js";
export type { NetworkBuild } from "./parallel/network-build.js";
export { type ParallelNetworkModel, parallelNetworkModel } from "./parallel/network-model.js";
export * from "./prep/index.js";
export { runTask, type TaskResult, taskKinds } from "./tasks/run-task.js";
export type { TaskOptions, TaskProgress } from "./tasks/types.js";
export * from "./train/checkpoint-file.js";
export * from "./train/history.js";
export * from "./train/history-stream.js";
export type { TrainCheckpoint } from "./train/train-checkpoint.js";
export { type TrainOptions, type TrainResult, train } from "./train/trainer.js";
export * from "./transforms/index.js";
