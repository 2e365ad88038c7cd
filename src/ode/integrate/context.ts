import type { IntegrateStats } from "../types.js";
import type { AugmentedSystem } from "./augmented.js";
import { formatTime, IntegrationError } from "./errors.js";
import type { OutputWriter } from "./output.js";

/** What both steppers share during one run: tolerances, the budget, the output, the stats. */
export interface RunContext {
  readonly aug: AugmentedSystem;
  readonly rtol: number;
  readonly atol: number;
  readonly maxSteps: number;
  readonly tFinal: number;
  /**
   * Components of the integrated vector in the error norm and the starting step: all (N), or
   * the n states when sensitivities are left out of the error control.
   */
  readonly controlled: number;
  readonly out: OutputWriter;
  readonly stats: IntegrateStats;
  readonly signal: AbortSignal | undefined;
  /** Set by Dormand–Prince while its stiffness test fires, for the step-limit message. */
  stiffSeen: boolean;
}

/** Rejected trial steps in a row with a non-finite result before the run gives up. */
export const MAX_NON_FINITE_IN_A_ROW = 20;

/**
 * Called before every trial step: the step budget, the abort signal, the step size.
 * `nonFinite` says the last trials were cut for non-finite values, the real cause when the
 * step then underflows.
 */
export function beforeStep(
  ctx: RunContext,
  t: number,
  h: number,
  solver: "dopri5" | "rodas",
  nonFinite: boolean,
): void {
  const { stats } = ctx;
  if (stats.steps + stats.rejected >= ctx.maxSteps) {
    const hint =
      solver === "dopri5"
        ? `; the problem ${ctx.stiffSeen ? "looks" : "may be"} stiff: use --solver rodas or auto`
        : "; loosen the tolerances or check the model for a blow-up";
    throw new IntegrationError(
      "step_limit",
      t,
      solver,
      `integrator: step limit ${ctx.maxSteps} reached at t = ${formatTime(t)} of ${formatTime(ctx.tFinal)} (${solver})${hint}`,
    );
  }
  if (ctx.signal?.aborted) {
    throw new IntegrationError(
      "interrupted",
      t,
      solver,
      `integrator: interrupted at t = ${formatTime(t)} of ${formatTime(ctx.tFinal)}`,
    );
  }
  // Hairer's test: a step that no longer changes t in floating point cannot make progress.
  if (!(Math.abs(h) * 0.1 > Math.abs(t) * Number.EPSILON) || !(h > 0)) {
    if (nonFinite) throw nonFiniteError(t, solver);
    throw new IntegrationError(
      "step_size_underflow",
      t,
      solver,
      `integrator: step size underflow at t = ${formatTime(t)} of ${formatTime(ctx.tFinal)} (${solver}); the solution may blow up or jump there`,
    );
  }
}

export function nonFiniteError(t: number, solver: "dopri5" | "rodas"): IntegrationError {
  return new IntegrationError(
    "non_finite",
    t,
    solver,
    `integrator: the solution became non-finite (NaN or infinite) after t = ${formatTime(t)} (${solver})`,
  );
}

/**
 * Hairer's starting step (HINIT): an explicit Euler probe estimates the second derivative,
 * and h is chosen so that h^order · max(‖f‖, ‖f′‖) ≈ 0.01 in the weighted norm.
 * f0 holds f(t, z); tmp1 and tmp2 are scratch. Costs one right-hand-side evaluation.
 */
export function initialStep(
  ctx: RunContext,
  t: number,
  z: Float64Array,
  f0: Float64Array,
  hmax: number,
  order: number,
  tmp1: Float64Array,
  tmp2: Float64Array,
): number {
  const { rtol, atol, aug } = ctx;
  const N = ctx.controlled;
  let dnf = 0;
  let dny = 0;
  for (let i = 0; i < N; i++) {
    const sk = atol + rtol * Math.abs(z[i]!);
    dnf += (f0[i]! / sk) ** 2;
    dny += (z[i]! / sk) ** 2;
  }
  let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h = Math.min(h, hmax);
  for (let i = 0; i < z.length; i++) tmp1[i] = z[i]! + h * f0[i]!;
  aug.rhs(t + h, tmp1, tmp2);
  let der2 = 0;
  for (let i = 0; i < N; i++) {
    const sk = atol + rtol * Math.abs(z[i]!);
    der2 += ((tmp2[i]! - f0[i]!) / sk) ** 2;
  }
  der2 = Math.sqrt(der2) / h;
  const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
  const h1 =
    der12 <= 1e-15 || !Number.isFinite(der12)
      ? Math.max(1e-6, h * 1e-3)
      : (0.01 / der12) ** (1 / order);
  const result = Math.min(100 * h, h1, hmax);
  return Number.isFinite(result) && result > 0 ? result : Math.min(1e-6, hmax);
}
