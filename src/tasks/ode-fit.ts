import type { BatchProgress } from "../batch/progress.js";
import { parseWith } from "../core/schema.js";
import { fitOde } from "../ode/fit/fit-ode.js";
import { profileOde } from "../ode/fit/profile.js";
import { loadSetup } from "../ode/fit/setup.js";
import { odeTrajectory } from "../ode/fit/trajectory.js";
import { IntegrationError } from "../ode/integrate/index.js";
import { type MultistartRun, runOdeMultistart } from "./ode-fit-multistart.js";
import { odeFitRequestSchema, odeFitSetup } from "./ode-fit-request.js";
import { type OdeFitResult, odeFitResult } from "./ode-fit-result.js";
import type { TaskOptions } from "./types.js";

/** The seed of the starts when a request gives none. */
export const DEFAULT_MULTISTART_SEED = 1;

export interface OdeFitTaskOptions extends TaskOptions {
  /** Worker threads for the starts of a multistart (0: this thread). Results do not depend on it. */
  workers?: number;
  /** Progress of a multistart, one unit per start. */
  onStartsProgress?: (progress: BatchProgress) => void;
}

/**
 * The `ode-fit` task: compiles the model file with the request's overrides, reads the wide
 * data, fits (or, with `starts`, runs a seeded multistart and polishes the best start at the
 * fit's tolerances), then adds the trajectory with its band and, with `profile`, the profile
 * likelihood of every free parameter. Never prints.
 */
export async function runOdeFit(
  input: unknown,
  options: OdeFitTaskOptions = {},
): Promise<OdeFitResult> {
  const request = parseWith(odeFitRequestSchema, input, "request");
  const setup = odeFitSetup(request);
  const loaded = loadSetup(setup);
  const { model, data } = loaded;
  let multistart: MultistartRun | null = null;
  if (request.starts !== undefined) {
    multistart = await runOdeMultistart(loaded, setup, {
      starts: request.starts,
      seed: request.seed ?? DEFAULT_MULTISTART_SEED,
      workers: options.workers ?? 0,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onStartsProgress === undefined ? {} : { onProgress: options.onStartsProgress }),
    });
  }
  const best = multistart?.waterfall[0]?.estimates ?? null;
  const odeFit = fitOde(model, data, {
    ...setup.solve,
    ...(request.level === undefined ? {} : { level: request.level }),
    ...(request.continuation === false ? { continuation: false as const } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    // After a multistart the best start only needs polishing at the fit's tolerances.
    ...(best === null
      ? {}
      : {
          start: Float64Array.from(best),
          firstOrder: false as const,
          continuation: false as const,
        }),
  });
  const profile = request.profile === true ? profileOde(odeFit, request.level ?? 0.95) : null;
  let trajectory = null;
  try {
    trajectory = odeTrajectory(model, odeFit, data.times);
  } catch (error) {
    // The estimates were integrated during the fit; a failure here is only possible for an
    // unfinished fit (non-finite point). The result then has no trajectory.
    if (!(error instanceof IntegrationError)) throw error;
  }
  return odeFitResult(request, model, data, odeFit, { trajectory, multistart, profile });
}
