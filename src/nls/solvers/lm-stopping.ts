import type { LmStopCode, ResolvedLmOptions } from "./lm-options.js";

const EPS = 2.220446049250313e-16;

/** What one trial step measured, in MINPACK's relative terms (one object per run, reused). */
export interface StepMeasures {
  /** Actual relative reduction (‖r‖² − ‖r_trial‖²)/‖r‖² (−1 for a failed or wild step). */
  actred: number;
  /** Predicted relative reduction of the linear model. */
  prered: number;
  /** actred / prered. */
  ratio: number;
  /** Trust radius after the update. */
  delta: number;
  /** ‖D·θ‖ at the current point. */
  xnorm: number;
  /** max_j |cos(r, J_j)| at the current point. */
  gnorm: number;
  evaluations: number;
}

/**
 * lmder's convergence tests after a trial step (info 1–3, 5, 6–8), in its order. ftol and
 * xtol are convergence; the three "below rounding" tests fire only for tolerances smaller than
 * ε (the defaults are larger), and say that no further progress is possible. The reason comes
 * as a function: formatting numbers costs more than a whole small fit's stop test, and a
 * caller fitting many curves rarely reads it.
 */
export function stopTest(
  m: Readonly<StepMeasures>,
  opts: ResolvedLmOptions,
): [LmStopCode, string | (() => string)] | null {
  const ftolOk = small(m, opts.ftol);
  const xtolOk = m.delta <= opts.xtol * m.xnorm;
  if (ftolOk || xtolOk) {
    const reduction = Math.max(Math.abs(m.actred), m.prered);
    const step = m.delta / m.xnorm;
    const why = () =>
      [
        ftolOk ? `relative RSS reduction ${reduction} <= ftol` : "",
        xtolOk ? `relative step ${step} <= xtol` : "",
      ]
        .filter((s) => s !== "")
        .join("; ");
    return [ftolOk ? "ftol" : "xtol", why];
  }
  if (m.evaluations >= opts.maxEvaluations) {
    return ["max-evaluations", `${opts.maxEvaluations} residual evaluations done`];
  }
  if (small(m, EPS)) {
    return ["no-progress", "the RSS cannot be reduced further (ftol is below rounding)"];
  }
  if (m.delta <= EPS * m.xnorm) {
    return ["no-progress", "the step cannot be made smaller (xtol is below rounding)"];
  }
  if (m.gnorm <= EPS) {
    return ["no-progress", "r is orthogonal to J to rounding (gtol is below rounding)"];
  }
  return null;
}

/** Both relative reductions ≤ tol and the step not wildly better than predicted (ρ ≤ 2). */
function small(m: Readonly<StepMeasures>, tol: number): boolean {
  // All three read on every call, not short-circuited: a read first met once the solver is
  // compiled (a step that reduces the RSS by less than ftol is rare) threw the compiled code
  // away for want of feedback (V8's soft deopt).
  const actual = Math.abs(m.actred) <= tol;
  const predicted = m.prered <= tol;
  const tame = 0.5 * m.ratio <= 1;
  return actual && predicted && tame;
}
