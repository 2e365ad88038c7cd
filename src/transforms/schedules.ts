import { OptionError } from "../core/errors.js";
import {
  type Checker,
  checkOptions,
  nonNegative,
  positive,
  positiveInteger,
  unitInterval,
} from "../core/options.js";

/** Learning rate as a function of the 0-based optimizer step. */
export type Schedule = (step: number) => number;
export type LearningRate = number | Schedule;

/** Checks a `LearningRate` option (as the optimizers do): a number > 0 or a schedule. */
const learningRate: Checker = (v) =>
  typeof v === "function" || positive(v) === null ? null : "a finite number > 0 or a schedule";

export function constant(lr: number): Schedule {
  checkOptions("constant", { lr }, { lr: positive }, ["lr"]);
  return () => lr;
}

/** lr · gamma^floor(step / every)  (PyTorch StepLR). */
export function stepDecay(options: { lr: number; every: number; gamma: number }): Schedule {
  checkOptions("stepDecay", options, { lr: positive, every: positiveInteger, gamma: positive }, [
    "lr",
    "every",
    "gamma",
  ]);
  const { lr, every, gamma } = options;
  return (step) => lr * gamma ** Math.floor(step / every);
}

/** lr · gamma^step  (PyTorch ExponentialLR with one step per optimizer step). */
export function exponentialDecay(options: { lr: number; gamma: number }): Schedule {
  checkOptions("exponentialDecay", options, { lr: positive, gamma: positive }, ["lr", "gamma"]);
  const { lr, gamma } = options;
  return (step) => lr * gamma ** step;
}

/**
 * Cosine annealing from lr to minLr over `steps` steps, then minLr:
 *   minLr + (lr − minLr) · (1 + cos(π · min(step, steps)/steps)) / 2.
 */
export function cosineDecay(options: { lr: number; steps: number; minLr?: number }): Schedule {
  checkOptions(
    "cosineDecay",
    options,
    { lr: positive, steps: positiveInteger, minLr: nonNegative },
    ["lr", "steps"],
  );
  const { lr, steps } = options;
  const minLr = options.minLr ?? 0;
  if (minLr > lr) throw new OptionError("cosineDecay", "minLr", minLr, `a number <= lr (${lr})`);
  return (step) =>
    minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * Math.min(step, steps)) / steps))) / 2;
}

/**
 * Linear warm-up over `steps` steps, then `after` (a number or schedule, whose step count
 * starts at 0 when warm-up ends): lr_t = peak · (t + 1)/steps for t < steps, so the first
 * step is already non-zero. `startFactor` (default 0) lets the ramp start higher.
 */
export function warmup(options: {
  steps: number;
  after: LearningRate;
  startFactor?: number;
}): Schedule {
  checkOptions(
    "warmup",
    options,
    { steps: positiveInteger, after: learningRate, startFactor: unitInterval },
    ["steps", "after"],
  );
  const after = toSchedule("warmup", options.after);
  const { steps } = options;
  const start = options.startFactor ?? 0;
  const peak = after(0);
  return (step) =>
    step < steps ? peak * (start + ((1 - start) * (step + 1)) / steps) : after(step - steps);
}

export function toSchedule(owner: string, lr: LearningRate): Schedule {
  if (typeof lr === "function") return lr;
  if (positive(lr) !== null)
    throw new OptionError(owner, "lr", lr, "a finite number > 0 or a schedule");
  return () => lr;
}
