import type {
  IntegrateOptions,
  IntegrateResult,
  IntegrateStats,
  OdeSystem,
  SensitivitySystem,
} from "../types.js";
import { AugmentedSystem } from "./augmented.js";
import type { RunContext } from "./context.js";
import { nonFiniteError } from "./context.js";
import { Dopri5 } from "./dopri5.js";
import { resolveOptions } from "./options.js";
import { OutputWriter } from "./output.js";
import { Rodas4 } from "./rodas4.js";

/**
 * Integrates dy/dt = f(t, y) (and, when `S0` is given, the forward sensitivities
 * dS/dt = J·S + ∂f/∂θ with the states) and returns the solution at `options.times`.
 *
 * Solvers: "dopri5" (explicit Dormand–Prince 5(4)), "rodas" (Rosenbrock RODAS4 with the
 * analytic Jacobian, for stiff problems), "auto" (default: Dormand–Prince, switching to RODAS
 * when Hairer's stiffness test fires 15 steps in a row or a trial RODAS step shows it, and back
 * when the RODAS step is well inside the explicit method's stability bound; stiffness.ts).
 * `stats.switchedAt` is the first switch to RODAS, `stats.solver` the method that finished.
 *
 * Discontinuities stop the integration at their time, change the state in place and restart
 * it; an output time equal to a discontinuity reports the state just after it.
 *
 * Throws OptionError (exit 2) for bad options and IntegrationError (a failed run) for a step
 * limit, a step-size underflow, a non-finite solution or an abort.
 */
export function integrate(
  system: OdeSystem | SensitivitySystem,
  options: IntegrateOptions,
): IntegrateResult {
  const opts = resolveOptions(system, options);
  const { times, t0 } = options;
  const stats: IntegrateStats = {
    solver: opts.solver === "rodas" ? "rodas" : "dopri5",
    switchedAt: null,
    steps: 0,
    rejected: 0,
    rhsEvaluations: 0,
    jacobianEvaluations: 0,
    factorizations: 0,
  };
  const aug = new AugmentedSystem(system, opts.sens, stats);
  const out = new OutputWriter(times, aug.n, aug.np, opts.sens !== null);
  const tFinal = times.length > 0 ? times[times.length - 1]! : t0;
  const ctx: RunContext = {
    aug,
    rtol: opts.rtol,
    atol: opts.atol,
    maxSteps: opts.maxSteps,
    tFinal,
    controlled: opts.sensitivityErrorControl ? aug.N : aug.n,
    out,
    stats,
    signal: options.signal,
    stiffSeen: false,
  };
  const z = new Float64Array(aug.N);
  z.set(options.y0);
  if (opts.sens && options.S0) z.set(options.S0, aug.n);

  const jumps = opts.jumps.filter((d) => d.time <= tFinal);
  let nextJump = 0;
  const applyJumpsAt = (t: number) => {
    while (nextJump < jumps.length && jumps[nextJump]!.time === t) {
      jumps[nextJump++]!.apply(z.subarray(0, aug.n), opts.sens ? z.subarray(aug.n) : undefined);
    }
    for (let i = 0; i < z.length; i++)
      if (!Number.isFinite(z[i]!)) throw nonFiniteError(t, stats.solver);
  };

  // Segment ends: every discontinuity after t0, then the last output time.
  const ends: number[] = [];
  for (const d of jumps) if (d.time > t0 && d.time !== ends[ends.length - 1]) ends.push(d.time);
  if (tFinal > t0 && tFinal !== ends[ends.length - 1]) ends.push(tFinal);

  let dopri: Dopri5 | null = null;
  let rodas: Rodas4 | null = null;
  let t = t0;
  applyJumpsAt(t);
  out.at(t, z);
  for (const end of ends) {
    let h = 0; // a jump invalidates the step size and the first stage: restart fresh
    while (t < end) {
      if (stats.solver === "dopri5") {
        if (opts.solver === "auto") rodas ??= new Rodas4(ctx);
        dopri ??= new Dopri5(ctx, rodas);
        const r = dopri.run(z, t, end, h, opts.solver === "auto");
        t = r.t;
        h = r.h;
        if (r.switchMethod) {
          stats.solver = "rodas";
          stats.switchedAt ??= t;
        }
      } else {
        rodas ??= new Rodas4(ctx);
        const r = rodas.run(z, t, end, h, opts.solver === "auto");
        t = r.t;
        h = r.h;
        if (r.switchMethod) stats.solver = "dopri5";
      }
    }
    t = end;
    applyJumpsAt(t);
    out.at(t, z);
  }
  const result: IntegrateResult = { states: out.states, stats };
  if (out.sensitivities) result.sensitivities = out.sensitivities;
  return result;
}
