import type { CurveFit } from "../nls/fit-curve.js";
import type { ParameterSpec } from "../nls/parameters.js";
import { VERSION } from "../version.js";
import type { FitFlags } from "./fit.js";
import type { ResolvedModel } from "./fit-model.js";

/**
 * The fit as JSON: what `--format json` prints (its `result`) and `--out` writes in full.
 * `biograd predict` reads the `model` part back. Numbers keep full precision; values that
 * could not be computed are null, never made up.
 */
export function fitDocument(input: {
  file: string;
  flags: FitFlags;
  model: ResolvedModel;
  constants: Record<string, number>;
  columns: readonly string[];
  fit: CurveFit;
  specs: readonly ParameterSpec[];
}) {
  const { fit, model } = input;
  const s = fit.summary;
  const byFree = (values: Float64Array | null) =>
    Object.fromEntries(fit.names.map((name) => [name, pick(s.names, values, name)]));
  const correlation =
    s.correlation === null
      ? null
      : Object.fromEntries(
          s.names.map((a, i) => [
            a,
            Object.fromEntries(s.names.map((b, j) => [b, s.correlation![i * s.p + j]!])),
          ]),
        );
  return {
    biograd: VERSION,
    kind: "curve-fit" as const,
    createdAt: new Date().toISOString(),
    data: { file: input.file, rows: fit.n, y: input.flags.y },
    model: {
      name: model.name,
      formula: model.formula,
      params: model.params,
      variables: model.variables,
      columns: input.columns,
      constants: input.constants,
    },
    settings: {
      ...input.flags,
      parameters: input.specs.map((p) => ({
        ...p,
        lower: p.lower ?? null,
        upper: p.upper ?? null,
      })),
    },
    result: {
      estimates: fit.estimates,
      std_errors: byFree(s.standardErrors),
      t_values: byFree(s.tValues),
      p_values: byFree(s.pValues),
      conf_level: s.level,
      conf_lower: byFree(s.lower),
      conf_upper: byFree(s.upper),
      fixed: fit.fixed,
      rss: fit.rss,
      sigma: s.sigma,
      df: s.df,
      n: s.n,
      r_squared: s.rSquared,
      log_lik: finite(s.logLik),
      aic: finite(s.aic),
      bic: finite(s.bic),
      correlation,
      converged: fit.converged,
      phases: fit.phases,
      warnings: fit.warnings,
    },
  };
}

export type FitDocument = ReturnType<typeof fitDocument>;

/** The value for `name` if it is a free parameter with a value, else null (fixed, or not computed). */
function pick(names: readonly string[], values: Float64Array | null, name: string): number | null {
  const i = names.indexOf(name);
  return values === null || i < 0 ? null : finite(values[i]!);
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
