import type { Layout } from "../core/layout.js";
import { l2Norm } from "../core/norms.js";
import type { UpdateApplier } from "./fused-apply.js";
import { fusedTail } from "./fused-clip-adam.js";
import { fusedValueSgdTail } from "./fused-clip-sgd.js";
import type { ClipState } from "./non-finite.js";
import type { AnyTransform, StepContext, Transform } from "./types.js";

/**
 * Runs transforms one after another on the same buffer. The state is an array with one
 * entry per transform, in order. A transform that sets `ctx.skip` stops the chain, so an
 * optimizer never folds a rejected gradient into its moments.
 *
 * A chain ending in [clipByGlobalNorm, adam/adamw] or [clipByValue, sgd without momentum] also
 * gets `applyUpdate` (fused-apply.ts): the trainer's step then runs that pair and the parameter
 * update as one pass (fused-clip-adam.ts, fused-clip-sgd.ts), with the same results bit for
 * bit and the same state array.
 */
export function chain(...transforms: AnyTransform[]): Transform<unknown[]> {
  const checkState = (state: unknown[]) => {
    if (state.length !== transforms.length) {
      throw new Error(
        `chain: state has ${state.length} entries but the chain has ${transforms.length} transforms; call init first`,
      );
    }
  };
  const chained: Transform<unknown[]> = {
    name: `chain(${transforms.map((t) => t.name).join(", ")})`,
    init(layout: Layout): unknown[] {
      return transforms.map((t) => t.init(layout));
    },
    update(grad: Float64Array, state: unknown[], ctx: StepContext): void {
      checkState(state);
      // A norm measured for the chain's input is its first transform's input norm only.
      ctx.knownNormOf = ctx.knownNormOf === chained ? (transforms[0] ?? null) : null;
      for (let i = 0; i < transforms.length; i++) {
        transforms[i]!.update(grad, state[i], ctx);
        if (ctx.skip) return;
        ctx.knownNormOf = null;
      }
    },
  };
  const tail = fusedTail(transforms) ?? fusedValueSgdTail(transforms);
  if (tail === null) return chained;
  const { at } = tail;
  const applier: UpdateApplier<unknown[]> = {
    applyUpdate(grad, state, ctx, params, scale, rawNorm) {
      checkState(state);
      // Before the clip runs anything else, the clip's norm is not the raw one: measure it.
      const raw = at > 0 && Number.isNaN(rawNorm) ? l2Norm(grad) : rawNorm;
      ctx.knownNormOf = null; // (the fused tail takes the norm as an argument)
      for (let i = 0; i < at; i++) {
        transforms[i]!.update(grad, state[i], ctx);
        if (ctx.skip) return raw;
      }
      const known = at === 0 ? raw : Number.NaN;
      const seen = tail.run(grad, state[at] as ClipState, state[at + 1], ctx, params, scale, known);
      return at === 0 ? seen : raw;
    },
  };
  return Object.assign(chained, applier);
}

/** Leaves the gradient unchanged. */
export function identity(): Transform<null> {
  return { name: "identity", init: () => null, update: () => {} };
}
