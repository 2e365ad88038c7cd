import { OptionError } from "../../core/errors.js";
import type {
  Discontinuity,
  IntegrateOptions,
  OdeSystem,
  SensitivitySystem,
  SolverChoice,
} from "../types.js";

export const DEFAULT_RTOL = 1e-6;
export const DEFAULT_ATOL = 1e-8;
export const DEFAULT_MAX_STEPS = 100_000;

const OWNER = "integrator";

export interface ResolvedOptions {
  readonly solver: SolverChoice;
  readonly rtol: number;
  readonly atol: number;
  readonly maxSteps: number;
  /** The system with sensitivities, when S0 was given. */
  readonly sens: SensitivitySystem | null;
  /** Whether the sensitivities enter the error norm (default true). */
  readonly sensitivityErrorControl: boolean;
  /** Discontinuities sorted by time (stable), all within [t0, ∞). */
  readonly jumps: readonly Discontinuity[];
}

/** Checks every option once, before any work, and fills in the defaults. */
export function resolveOptions(system: OdeSystem, options: IntegrateOptions): ResolvedOptions {
  const { t0, y0, S0, times } = options;
  if (!Number.isFinite(t0)) throw new OptionError(OWNER, "t0", t0, "a finite number");
  if (y0.length !== system.n) {
    throw new OptionError(OWNER, "y0 length", y0.length, `${system.n} (one value per state)`);
  }
  const rtol = options.rtol ?? DEFAULT_RTOL;
  const atol = options.atol ?? DEFAULT_ATOL;
  // Both must be > 0: sensitivities start at exactly zero, where atol alone scales the error.
  if (!(Number.isFinite(rtol) && rtol > 0)) {
    throw new OptionError(OWNER, "rtol", rtol, "a finite number > 0");
  }
  if (!(Number.isFinite(atol) && atol > 0)) {
    throw new OptionError(OWNER, "atol", atol, "a finite number > 0");
  }
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps > 0)) {
    throw new OptionError(OWNER, "maxSteps", maxSteps, "a whole number > 0");
  }
  const solver = options.solver ?? "auto";
  if (solver !== "auto" && solver !== "dopri5" && solver !== "rodas") {
    throw new OptionError(OWNER, "solver", solver, `one of "auto", "dopri5", "rodas"`);
  }
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    if (!Number.isFinite(t)) throw new OptionError(OWNER, `times[${k}]`, t, "a finite number");
    if (k === 0 && t < t0) {
      throw new OptionError(OWNER, "times[0]", t, `≥ t0 = ${t0} (output times start at t0)`);
    }
    if (k > 0 && t < times[k - 1]!) {
      throw new OptionError(
        OWNER,
        `times[${k}]`,
        t,
        `≥ times[${k - 1}] = ${times[k - 1]} (output times must be non-decreasing)`,
      );
    }
  }
  let sens: SensitivitySystem | null = null;
  if (S0) {
    if (!isSensitivitySystem(system)) {
      throw new OptionError(
        OWNER,
        "S0",
        "initial sensitivities",
        "given only for a system with sensitivities (np, paramJacobian)",
      );
    }
    if (S0.length !== system.n * system.np) {
      throw new OptionError(
        OWNER,
        "S0 length",
        S0.length,
        `${system.n * system.np} (n × np = ${system.n} × ${system.np})`,
      );
    }
    sens = system;
  }
  const list = options.discontinuities ?? [];
  list.forEach((d, k) => {
    if (!(Number.isFinite(d.time) && d.time >= t0)) {
      throw new OptionError(
        OWNER,
        `discontinuities[${k}].time`,
        d.time,
        `a finite number ≥ t0 = ${t0}`,
      );
    }
  });
  const jumps = [...list].sort((a, b) => a.time - b.time);
  const sensitivityErrorControl = options.sensitivityErrorControl ?? true;
  if (typeof sensitivityErrorControl !== "boolean") {
    throw new OptionError(
      OWNER,
      "sensitivityErrorControl",
      sensitivityErrorControl,
      "true or false",
    );
  }
  return { solver, rtol, atol, maxSteps, sens, jumps, sensitivityErrorControl };
}

function isSensitivitySystem(system: OdeSystem): system is SensitivitySystem {
  const s = system as Partial<SensitivitySystem>;
  return (
    typeof s.np === "number" &&
    typeof s.paramJacobian === "function" &&
    typeof s.sensitivityJacobianTimesVector === "function"
  );
}
