import { BiogradError } from "../core/errors.js";
import type { CurveFit } from "../nls/fit-curve.js";
import { qualityDefaultsFor, qualityFlags } from "../nls/quality/index.js";
import { ec50, ec50SpecFor, profileIntervals, type ScaledEstimate } from "../nls/stats/index.js";
import type { PreparedCurveFit } from "./prepare-curve-fit.js";

/**
 * What a curve fit reports beyond the nls summary: its quality flags (every fit), its EC50
 * (dose-response models) and, when asked (`ci: "profile"`), profile-likelihood intervals.
 * Plain JSON; a value that could not be computed is null.
 */
export interface CurveFitExtras {
  flags: { code: string; message: string; parameters?: string[]; rows?: number[] }[];
  ec50: Ec50Json | null;
  profile: ProfileJson | null;
  /** Why something asked for could not be given (e.g. no profile for an unconverged fit). */
  warnings: { code: string; message: string }[];
}

interface ScaledJson {
  estimate: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Ec50Json {
  parameter: string;
  /** "log10": the parameter is logEC50 (4pl, 5pl); "linear": it is K (hill, hill4). */
  scale: "log10" | "linear";
  level: number;
  logEC50: ScaledJson;
  EC50: ScaledJson;
}

export interface ProfileJson {
  level: number;
  lower: Record<string, number | null>;
  upper: Record<string, number | null>;
  /** Why a limit is null (open: the data do not bound the parameter on that side). */
  lower_reason: Record<string, string | null>;
  upper_reason: Record<string, string | null>;
  refits: number;
}

export function curveFitExtras(prepared: PreparedCurveFit, fit: CurveFit): CurveFitExtras {
  const { curve, columns, y, weights, specs, model, request } = prepared;
  const data = { columns, y, weights };
  const library = model.library?.name ?? "";
  const quality = qualityFlags(curve, data, specs, fit, {
    ...qualityDefaultsFor(library),
    // The EC50 range check compares with x: only meaningful for a one-variable curve.
    ...(columns.length === 1 ? {} : { ec50: null }),
  });
  const flags = quality.flags.map((f) => ({
    code: f.code,
    message: f.message,
    ...(f.parameters ? { parameters: [...f.parameters] } : {}),
    ...(f.rows ? { rows: [...f.rows] } : {}),
  }));
  const warnings: CurveFitExtras["warnings"] = [];
  const spec = ec50SpecFor(library);
  const ec =
    spec !== null && fit.names.includes(spec.parameter)
      ? ec50(fit, spec, { level: fit.summary.level })
      : null;
  const ec50Json: Ec50Json | null =
    ec === null
      ? null
      : {
          parameter: ec.parameter,
          scale: ec.scale,
          level: ec.level,
          logEC50: scaled(ec.logEC50),
          EC50: scaled(ec.EC50),
        };
  let profile: ProfileJson | null = null;
  if (request.ci === "profile") {
    if (!fit.converged) {
      warnings.push({
        code: "no-profile",
        message: "no profile-likelihood intervals: the fit did not converge",
      });
    } else {
      try {
        profile = profileJson(prepared, fit);
      } catch (e) {
        if (!(e instanceof BiogradError)) throw e;
        warnings.push({
          code: "no-profile",
          message: `no profile-likelihood intervals: ${e.message}`,
        });
      }
    }
  }
  return { flags, ec50: ec50Json, profile, warnings };
}

function profileJson(prepared: PreparedCurveFit, fit: CurveFit): ProfileJson {
  const { curve, columns, y, weights, specs } = prepared;
  const p = profileIntervals(curve, { columns, y, weights }, specs, fit, {
    level: fit.summary.level,
  });
  const by = <T>(f: (q: (typeof p.parameters)[number]) => T) =>
    Object.fromEntries(p.parameters.map((q) => [q.name, f(q)]));
  return {
    level: p.level,
    lower: by((q) => finite(q.lower)),
    upper: by((q) => finite(q.upper)),
    lower_reason: by((q) => q.lowerReason),
    upper_reason: by((q) => q.upperReason),
    refits: p.refits,
  };
}

function scaled(s: ScaledEstimate): ScaledJson {
  return {
    estimate: finite(s.estimate),
    se: finite(s.se),
    lower: finite(s.lower),
    upper: finite(s.upper),
  };
}

function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}
