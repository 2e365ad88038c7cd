import { fitFromStart, type StartRun } from "../ode/fit/multistart.js";
import { type LoadedSetup, loadSetup, type OdeFitSetup } from "../ode/fit/setup.js";

/** One start of a multistart ODE fit: plain data in, plain data out (a worker-thread job). */
export interface OdeStartJob {
  readonly setup: OdeFitSetup;
  readonly index: number;
  readonly start: number[];
}

// A worker compiles the model and reads the data once per setup, not once per start.
const loaded = new Map<string, LoadedSetup>();

/** Runs one start (the export a pool worker calls; in-thread runs call it too). */
export function odeFitStartJob(job: OdeStartJob): StartRun {
  const key = JSON.stringify(job.setup);
  let setup = loaded.get(key);
  if (setup === undefined) {
    setup = loadSetup(job.setup);
    loaded.clear();
    loaded.set(key, setup);
  }
  return fitFromStart(setup, job.setup, job.index, job.start);
}
