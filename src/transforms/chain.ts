import type { Layout } from "../core/layout.js";
import type { AnyTransform, StepContext, Transform } from "./types.js";

/**
 * Runs transforms one after another on the same buffer. The state is an array with one
 * entry per transform, in order. A transform that sets `ctx.skip` stops the chain, so an
 * optimizer never folds a rejected gradient into its moments.
 */
export function chain(...transforms: AnyTransform[]): Transform<unknown[]> {
  return {
    name: `chain(${transforms.map((t) => t.name).join(", ")})`,
    init(layout: Layout): unknown[] {
      return transforms.map((t) => t.init(layout));
    },
    update(grad: Float64Array, state: unknown[], ctx: StepContext): void {
      if (state.length !== transforms.length) {
        throw new Error(
          `chain: state has ${state.length} entries but the chain has ${transforms.length} transforms; call init first`,
        );
      }
      for (let i = 0; i < transforms.length; i++) {
        transforms[i]!.update(grad, state[i], ctx);
        if (ctx.skip) return;
      }
    },
  };
}

/** Leaves the gradient unchanged. */
export function identity(): Transform<null> {
  return { name: "identity", init: () => null, update: () => {} };
}
