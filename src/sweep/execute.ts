import type { RunRecord } from "./record.js";
import type { RunSpec } from "./spec.js";

/**
 * Executes one run through the library (never the CLI): the job function of the sweep, in
 * this thread or on a worker (where the batch pool imports this module and calls it by
 * name). Each kind of run's code is loaded on first use, so a pool of `train` workers starts
 * without the formula compiler and the nls statistics (a worker's start-up is most of a short
 * run's cost).
 */
export async function executeRun(spec: RunSpec): Promise<RunRecord> {
  switch (spec.command) {
    case "train":
      return (await import("./run-train.js")).runTrain(spec);
    case "fit":
      return (await import("./run-fit.js")).runFit(spec);
  }
}
