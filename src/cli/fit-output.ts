import type { CurveFit } from "../nls/fit-curve.js";
import type { ResolvedModel } from "./fit-model.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";

/** The fit as a table, in the shape of R's `summary(nls)`. */
export function printFit(
  io: CliIO,
  model: ResolvedModel,
  columns: readonly string[],
  y: string,
  rows: number,
  fit: CurveFit,
): void {
  const s = fit.summary;
  const label = model.library ? `${model.name}: ${model.formula}` : model.formula;
  io.out(`biograd fit: ${y} ~ ${label}   (x: ${columns.join(", ")}; ${rows} rows)`);
  io.out("");
  const level = `${Math.round(s.level * 1000) / 10}%`;
  const head = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", `${level} lower`, "upper"];
  const body = fit.names.map((name) => {
    const i = s.names.indexOf(name);
    if (i < 0) return [name, sci(fit.estimates[name]!, 6), "(fixed)", "", "", "", ""];
    const se = s.standardErrors;
    return [
      name,
      sci(s.estimates[i]!, 6),
      se ? sci(se[i]!, 4) : "-",
      s.tValues ? s.tValues[i]!.toFixed(3) : "-",
      s.pValues ? s.pValues[i]!.toExponential(2) : "-",
      s.lower ? sci(s.lower[i]!, 5) : "-",
      s.upper ? sci(s.upper[i]!, 5) : "-",
    ];
  });
  for (const line of table([head, ...body])) io.out(line);
  io.out("");
  io.out(
    s.sigma === null
      ? `Residual standard error: not defined (${s.df} degrees of freedom)`
      : `Residual standard error: ${sci(s.sigma, 5)} on ${s.df} degrees of freedom`,
  );
  io.out(
    `RSS: ${sci(fit.rss, 8)}   R²: ${s.rSquared === null ? "-" : s.rSquared.toFixed(5)}   ` +
      `AIC: ${s.aic.toFixed(3)}   BIC: ${s.bic.toFixed(3)}`,
  );
  if (s.correlation && s.p > 1) {
    io.out("Correlation of parameter estimates:");
    const rowsC = s.names
      .slice(1)
      .map((a, i) => [
        `  ${a}`,
        ...s.names.slice(0, i + 1).map((_, j) => s.correlation![(i + 1) * s.p + j]!.toFixed(4)),
      ]);
    for (const line of table([["", ...s.names.slice(0, -1)], ...rowsC])) io.out(line);
  }
  const phases = fit.phases
    .map(
      (p) =>
        `${p.phase} ${p.iterations} ${p.phase === "first-order" ? "steps" : "iterations"} (${p.stopReason})`,
    )
    .join("; ");
  io.out(`Fit: ${phases || "no phase ran"} — ${fit.converged ? "converged" : "NOT converged"}`);
  for (const w of fit.warnings) io.out(`Warning: ${w.message}`);
}
