import type { FitCurveResult } from "../tasks/fit-curve-result.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";

/** The fit as a table, in the shape of R's `summary(nls)`. */
export function printFit(io: CliIO, doc: FitCurveResult): void {
  const { model, result: s } = doc;
  const label = model.name === "formula" ? model.formula : `${model.name}: ${model.formula}`;
  const logged = new Set(model.log10Columns);
  const x = model.variables.map((v, k) => {
    const column = logged.has(model.columns[k]!) ? `log10(${model.columns[k]})` : model.columns[k];
    return v === column ? v : `${v}=${column}`;
  });
  io.out(`biograd fit: ${doc.data.y} ~ ${label}   (x: ${x.join(", ")}; ${doc.data.rows} rows)`);
  io.out("");
  const level = `${Math.round(s.conf_level * 1000) / 10}%`;
  const profile = s.profile;
  const head = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", `${level} lower`, "upper"];
  if (profile) head.push("profile lower", "upper");
  const show = (v: number | null | undefined, f: (v: number) => string) =>
    v === null || v === undefined ? "-" : f(v);
  const body = model.params.map((name) => {
    const estimate = sci(s.estimates[name]!, 6);
    if (s.fixed.includes(name)) {
      return [name, estimate, "(fixed)", "", "", "", "", ...(profile ? ["", ""] : [])];
    }
    const open = (v: number | null | undefined) =>
      v === undefined ? "-" : show(v, (x) => sci(x, 5));
    const profiled = profile
      ? [
          profile.lower[name] === null ? "open" : open(profile.lower[name]),
          profile.upper[name] === null ? "open" : open(profile.upper[name]),
        ]
      : [];
    return [
      name,
      estimate,
      show(s.std_errors[name], (v) => sci(v, 4)),
      show(s.t_values[name], (v) => v.toFixed(3)),
      show(s.p_values[name], (v) => v.toExponential(2)),
      show(s.conf_lower[name], (v) => sci(v, 5)),
      show(s.conf_upper[name], (v) => sci(v, 5)),
      ...profiled,
    ];
  });
  for (const line of table([head, ...body])) io.out(line);
  if (profile) {
    io.out(`(${level} intervals: Wald, estimate ± t·se; profile likelihood, as R's confint)`);
  }
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
  if (s.ec50) printEc50(io, s.ec50);
  for (const w of s.warnings) io.out(`Warning: ${w.message}`);
  io.out(
    s.flags.length === 0
      ? "Quality flags: none"
      : `Quality flags: ${s.flags.map((f) => f.code).join(", ")}`,
  );
  for (const f of s.flags) io.out(`  ${f.code}: ${f.message}`);
}

/** `EC50 = 4.52 (3.9 to 5.2), logEC50 = 0.655 (…)`: both scales with the fit's level. */
function printEc50(io: CliIO, ec: NonNullable<FitCurveResult["result"]["ec50"]>): void {
  const one = (label: string, v: typeof ec.EC50) =>
    v.estimate === null
      ? `${label} -`
      : `${label} = ${sci(v.estimate, 5)}` +
        (v.lower === null || v.upper === null ? "" : ` (${sci(v.lower, 4)} to ${sci(v.upper, 4)})`);
  const level = `${Math.round(ec.level * 1000) / 10}%`;
  const from = ec.scale === "log10" ? "10^logEC50" : ec.parameter;
  io.out(
    `${one("EC50", ec.EC50)}; ${one("logEC50", ec.logEC50)}   (${level} Wald, EC50 = ${from})`,
  );
}
