import { budgetPrefix } from "../batch/budget.js";
import { InputError } from "../core/errors.js";
import { plannedEpochs, type RunSpec } from "./spec.js";

/**
 * `--budget`: a cap on a sweep's total work, applied to the plan before anything runs.
 * - `runs:N` (or just `N`): at most N runs;
 * - `epochs:N`: at most N planned epochs in total, counting each run's whole epoch budget
 *   (`--epochs` for train, `--steps` for fit) whether or not it stops early — so the cut is
 *   known before running and is the same on every rerun.
 * The plan is ordered seed-major (every setting's first seed, then every setting's second, …,
 * the baseline first in each round), and the budget keeps the longest prefix of that order
 * that fits: whole rounds first, so cut settings lose seeds rather than disappear. Runs a
 * resume journal already holds count like any other.
 */
export type Budget = { unit: "runs" | "epochs"; limit: number };

export function parseBudget(text: string): Budget {
  const m = /^\s*(?:(runs|epochs):)?\s*(\d+(?:\.\d*)?(?:[eE]\+?\d+)?)\s*$/.exec(text);
  const limit = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isInteger(limit) || limit < 1) {
    throw new InputError(
      `--budget: expected runs:N, epochs:N or N (runs), N an integer >= 1, got "${text}"`,
    );
  }
  return { unit: (m[1] ?? "runs") as Budget["unit"], limit };
}

/** What a run costs against the budget: 1 run, or its planned epochs (steps for a fit). */
export function runCost(spec: RunSpec, unit: Budget["unit"]): number {
  return unit === "runs" ? 1 : plannedEpochs(spec);
}

/** How many runs of the ordered plan fit in the budget (a prefix of the plan). */
export function budgetCut(specs: readonly RunSpec[], budget: Budget | null): number {
  return budgetPrefix(
    specs,
    budget && { limit: budget.limit, cost: (spec) => runCost(spec, budget.unit) },
  );
}
