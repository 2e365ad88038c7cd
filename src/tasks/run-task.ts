import { InputError } from "../core/errors.js";
import type { CompareModelsResult } from "./compare-models.js";
import type { FitCurveResult } from "./fit-curve-result.js";
import type { FitGroupsResult } from "./fit-groups.js";
import type { OdeFitResult } from "./ode-fit-result.js";
import type { PredictResult } from "./predict.js";
import type { SweepCellResult } from "./sweep-cell-result.js";
import type { TrainLinearResult } from "./train-linear.js";
import type { TrainNetworkResult } from "./train-network.js";
import type { TaskOptions } from "./types.js";

/** What any task returns: plain JSON. */
export type TaskResult =
  | CompareModelsResult
  | FitCurveResult
  | FitGroupsResult
  | OdeFitResult
  | PredictResult
  | SweepCellResult
  | TrainLinearResult
  | TrainNetworkResult;

type Runner = (request: unknown, options: TaskOptions) => TaskResult | Promise<TaskResult>;

/**
 * Every task kind and how to run it. Imports are lazy so that a worker that only trains never
 * loads the formula compiler (and mathjs). A new kind is one line here.
 */
const TASKS: Record<string, () => Promise<Runner>> = {
  "compare-models": async () => (await import("./compare-models.js")).runCompareModels,
  "fit-curve": async () => (await import("./fit-curve.js")).runFitCurve,
  "fit-groups": async () => {
    const { runFitGroups } = await import("./fit-groups.js");
    return (request, { signal, onProgress }) =>
      runFitGroups(request, {
        signal,
        onProgress: onProgress && ((p) => onProgress({ done: p.groupsDone, total: p.groups })),
      });
  },
  "ode-fit": async () => (await import("./ode-fit.js")).runOdeFit,
  predict: async () => {
    const { runPredict } = await import("./predict.js");
    return (request) => runPredict(request);
  },
  "sweep-cell": async () => (await import("./sweep-cell.js")).runSweepCell,
  "train-linear": async () => (await import("./train-linear.js")).runTrainLinear,
  "train-network": async () => (await import("./train-network.js")).runTrainNetwork,
};

/** The task kinds `runTask` knows, sorted. */
export function taskKinds(): string[] {
  return Object.keys(TASKS).sort();
}

/**
 * Runs one task from its JSON request, dispatching on `request.task`. Never prints; a bad
 * request is an InputError naming the field (`request: task: …`).
 */
export async function runTask(request: unknown, options: TaskOptions = {}): Promise<TaskResult> {
  const kind =
    typeof request === "object" && request !== null && !Array.isArray(request)
      ? (request as { task?: unknown }).task
      : undefined;
  const load = typeof kind === "string" && Object.hasOwn(TASKS, kind) ? TASKS[kind] : undefined;
  if (load === undefined) {
    const got = kind === undefined ? "missing" : `got ${JSON.stringify(String(kind).slice(0, 40))}`;
    throw new InputError(`request: task: ${got}; expected one of ${taskKinds().join(", ")}`);
  }
  const run = await load();
  return run(request, options);
}
