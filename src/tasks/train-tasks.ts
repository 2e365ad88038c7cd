import { runTrainLinear } from "./train-linear.js";
import { runTrainNetwork } from "./train-network.js";

/** The training tasks by request `task` name, for the `runTask` dispatcher. */
export const TRAIN_TASKS = {
  "train-linear": runTrainLinear,
  "train-network": runTrainNetwork,
} as const;
