import type { FitCurveResult } from "../tasks/fit-curve-result.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";

/** The fit as a table, in the shape of R's `summary(nls)`. */
export function printFit(io: CliIO, doc: FitCurveResult): void {
  const { model, result: s } = doc;
  const label = model.name === "formula" ? model.formula : `${model.name}: ${model.formula}`;
  const x = model.variables.map((v, k) =>
    v === model.columns[k] ? v : `${v}=${model.columns[k]}`,
  );
  io.out(`biograd fit: ${doc.data.y} ~ ${label}   (x: ${x.join(", ")}; ${doc.data.rows} rows)`);
  io.out("");
  const level = `${Math.round(s.conf_level * 1000) / 10}%`;
  const head = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", `${level} lower`, "upper"];
  const show = (v: number | null | undefined, f: (v: number) => string) =>
    v === null || v === undefined ? "-" : f(v);
  const body = model.params.map((name) => {
    const estimate = sci(s.estimates[name]!, 6);
    if (s.fixed.includes(name)) return [name, estimate, "(fixed)", "", "", "", ""];
    return [
      name,
      estimate,
      show(s.std_errors[name], (v) => sci(v, 4)),
      show(s.t_values[name], (v) => v.toFixed(3)),
      show(s.p_values[name], (v) => v.toExponential(2)),
      show(s.conf_lower[name], (v) => sci(v, 5)),
      show(s.conf_upper[name], (v) => sci(v, 5)),
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
    `RSS: ${sci(s.rss, 8)}   R²: ${s.r_squared === null ? "-" : s.r_squared.toFixed(5)}   ` +
      `AIC: ${show(s.aic, (v) => v.toFixed(3))}   BIC: ${show(s.bic, (v) => v.toFixed(3))}`,
  );
  const free = model.params.filter((p) => !s.fixed.includes(p));
  if (s.correlation && free.length > 1) {
    io.out("Correlation of parameter estimates:");
    const rows = free
      .slice(1)
      .map((a, i) => [
        `  ${a}`,
        ...free.slice(0, i + 1).map((b) => s.correlation![a]![b]!.toFixed(4)),
      ]);
    for (const line of table([["", ...free.slice(0, -1)], ...rows])) io.out(line);
  }
  const phases = s.phases
    .map(
      (p) =>
        `${p.phase} ${p.iterations} ${p.phase === "first-order" ? "steps" : "iterations"} (${p.stopReason})`,
    )
    .join("; ");
  io.out(`Fit: ${phases || "no phase ran"} — ${s.converged ? "converged" : "NOT converged"}`);
  for (const w of s.warnings) io.out(`Warning: ${w.message}`);
}
