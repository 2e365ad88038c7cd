import { BiogradError } from "../core/errors.js";
import { describeIndex } from "../core/layout.js";
import { firstNonFinite } from "../core/norms.js";
import { checkOptions, oneOf } from "../core/options.js";
import { NON_FINITE_POLICIES, type NonFinitePolicy, zeroNonFinite } from "./non-finite.js";
import type { Transform } from "./types.js";

export interface GuardOptions {
  /** What to do with a gradient holding NaN or ±Infinity (default "error"). */
  policy?: NonFinitePolicy;
}

/** The guard's counters (the same readings the clips' shared policy keeps). */
export interface GuardState {
  /** Steps seen. */
  steps: number;
  /** Steps dropped by the `skip` policy. */
  skippedSteps: number;
  /** Entries replaced by 0 by the `zero` policy. */
  zeroedEntries: number;
}

/**
 * The non-finite guard, a transform of its own placed first in a chain, so that a run
 * without a clip is guarded too and every clip after it sees finite gradients only:
 * - `error` (default): throw, naming the parameter entry, its value and the step;
 * - `skip`: set `ctx.skip` (the chain stops, so no optimizer folds the gradient into its
 *   moments and nothing is applied), counted in `skippedSteps`;
 * - `zero`: replace the non-finite entries by 0, counted in `zeroedEntries` and in
 *   `ctx.nonFiniteZeroed`, and go on.
 * A finite gradient passes unchanged (one read-only pass over the buffer).
 */
export function guardNonFinite(options: GuardOptions = {}): Transform<GuardState> {
  checkOptions("guardNonFinite", options, { policy: oneOf(...NON_FINITE_POLICIES) });
  const policy = options.policy ?? "error";
  return {
    name: `guardNonFinite(${policy})`,
    init: () => ({ steps: 0, skippedSteps: 0, zeroedEntries: 0 }),
    update(grad, state, ctx) {
      state.steps++;
      const i = firstNonFinite(grad);
      if (i === -1) return;
      if (policy === "error") {
        // Worded for people: this is what a diverging run usually ends with.
        throw new BiogradError(
          "non_finite_gradient",
          `training diverged: the gradient of "${describeIndex(ctx.layout, i)}" is ${grad[i]} at step ${ctx.step} ` +
            '(non-finite policy "error"; try a clip or a smaller learning rate, or "skip" to drop such steps, "zero" to zero the entries)',
        );
      }
      if (policy === "skip") {
        state.skippedSteps++;
        ctx.skip = true;
        return;
      }
      zeroNonFinite(grad, state, ctx);
    },
  };
}
