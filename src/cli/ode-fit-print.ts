import type { OdeFitResult } from "../tasks/ode-fit-result.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";

/** An ODE fit as text: R's summary(nls) layout, then the multistart and profile tables. */
export function printOdeFit(io: CliIO, doc: OdeFitResult): void {
  const s = doc.result;
  io.out(
    `biograd ode fit: ${doc.model.source} on ${doc.data.file}   (${s.n} observations of ${doc.model.observables.join(", ")} at ${doc.data.rows} times)`,
  );
  io.out("");
  const level = `${Math.round(s.conf_level * 1000) / 10}%`;
  const show = (v: number | null | undefined, f: (v: number) => string) =>
    v === null || v === undefined ? "-" : f(v);
  const head = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", `${level} lower`, "upper"];
  const body = doc.model.params.map((name) => [
    name,
    sci(s.estimates[name]!, 6),
    show(s.std_errors[name], (v) => sci(v, 4)),
    show(s.t_values[name], (v) => v.toFixed(3)),
    show(s.p_values[name], (v) => v.toExponential(2)),
    show(s.conf_lower[name], (v) => sci(v, 5)),
    show(s.conf_upper[name], (v) => sci(v, 5)),
  ]);
  for (const [name, value] of Object.entries(doc.model.fixed)) {
    body.push([name, sci(value, 6), "(fixed)", "", "", "", ""]);
  }
  for (const line of table([head, ...body])) io.out(line);
  io.out("");
  io.out(
    s.sigma === null
      ? `Residual standard error: not defined (${s.df} degrees of freedom)`
      : `Residual standard error: ${sci(s.sigma, 5)} on ${s.df} degrees of freedom`,
  );
  io.out(
    `RSS: ${sci(s.rss, 8)}   AIC: ${show(s.aic, (v) => v.toFixed(3))}   BIC: ${show(s.bic, (v) => v.toFixed(3))}   converged: ${s.converged ? "yes" : "no"}`,
  );
  io.out(
    `Integrations: ${s.integration.runs} (${s.integration.failures} failed, rejected as non-finite steps)`,
  );
  const windows = s.continuation;
  if (windows !== null && windows.length > 0) {
    const from = s.phases.find((p) => p.chosen)?.from ?? "start";
    const where = {
      continuation: "the continuation's end",
      "first-order": "the first-order phase's end",
      start: "the start values",
    }[from];
    io.out(
      `Continuation: ${windows.length} windows of the data (t ≤ ${sci(windows[0]!.horizon, 4)} … ${sci(windows[windows.length - 1]!.horizon, 4)}); estimates from Levenberg–Marquardt started at ${where}`,
    );
  }
  const ms = doc.multistart;
  if (ms !== null) {
    io.out("");
    io.out(
      `Multistart: best value (RSS ${show(ms.bestRss, (v) => sci(v, 8))}) found by ${ms.hits} of ${ms.starts} starts (within ${ms.tolerance} relative; seed ${ms.seed})`,
    );
    const rows = ms.waterfall
      .slice(0, 10)
      .map((r, k) => [
        String(k + 1),
        String(r.index),
        show(r.rss, (v) => sci(v, 8)),
        r.converged ? "yes" : "no",
      ]);
    for (const line of table([["rank", "start", "RSS", "converged"], ...rows])) io.out(line);
    if (ms.waterfall.length > 10) io.out(`(${ms.waterfall.length - 10} more in --out)`);
  }
  const pr = doc.profile;
  if (pr !== null) {
    io.out("");
    io.out(
      `Profile likelihood (${Math.round(pr.level * 1000) / 10}% intervals, ${pr.refits} refits):`,
    );
    const rows = pr.parameters.map((p) => [
      p.name,
      p.lower === null ? "open" : sci(p.lower, 5),
      p.upper === null ? "open" : sci(p.upper, 5),
      p.nonIdentifiable ? "practically non-identifiable (flat profile)" : "identifiable",
    ]);
    for (const line of table([["", "lower", "upper", ""], ...rows])) io.out(line);
  }
  for (const w of s.warnings) io.out(`warning: ${w.message}`);
}
