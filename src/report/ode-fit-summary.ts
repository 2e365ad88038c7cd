/**
 * The report's tables for a saved ODE fit: estimates with standard errors and Wald
 * intervals (and profile limits with the identifiability flag, with `--profile`), the fit's
 * statistics, and the multistart's count of starts that reached the best value.
 */
interface OdeFitDoc {
  data: { file: string; rows: number };
  model: { source: string; params: string[] };
  result: {
    estimates: Record<string, number>;
    std_errors: Record<string, number | null>;
    conf_lower: Record<string, number | null>;
    conf_upper: Record<string, number | null>;
    conf_level: number;
    rss: number;
    sigma: number | null;
    df: number;
    n: number;
    aic: number | null;
    converged: boolean;
    integration: { failures: number };
    warnings: { message: string }[];
  };
  multistart: { starts: number; hits: number; seed: number; tolerance: number } | null;
  profile: {
    parameters: {
      name: string;
      lower: number | null;
      upper: number | null;
      nonIdentifiable: boolean;
    }[];
  } | null;
}

const num = (v: unknown): string =>
  typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : "-";

export function odeFitSummary(raw: Record<string, unknown>) {
  const doc = raw as unknown as OdeFitDoc;
  const r = doc.result;
  const level = `${Math.round(r.conf_level * 1000) / 10}%`;
  const profiled = new Map((doc.profile?.parameters ?? []).map((p) => [p.name, p]));
  const head = ["parameter", "estimate", "std. error", `${level} lower`, `${level} upper`];
  if (doc.profile) head.push("profile lower", "profile upper", "identifiable");
  const params = [
    head,
    ...doc.model.params.map((name) => {
      const p = profiled.get(name);
      return [
        name,
        num(r.estimates[name]),
        num(r.std_errors[name]),
        num(r.conf_lower[name]),
        num(r.conf_upper[name]),
        ...(doc.profile
          ? [
              p?.lower === null ? "open" : num(p?.lower),
              p?.upper === null ? "open" : num(p?.upper),
              p === undefined ? "-" : p.nonIdentifiable ? "no (flat profile)" : "yes",
            ]
          : []),
      ];
    }),
  ];
  const stats = [
    ["observations", "RSS", "residual s.e.", "df", "AIC", "converged", "integrator failures"],
    [
      num(r.n),
      num(r.rss),
      num(r.sigma),
      num(r.df),
      num(r.aic),
      r.converged ? "yes" : "no",
      num(r.integration.failures),
    ],
  ];
  const tables = [params, stats];
  const ms = doc.multistart;
  if (ms) {
    tables.push([
      ["starts", "reached the best value", "seed", "relative tolerance"],
      [num(ms.starts), num(ms.hits), num(ms.seed), num(ms.tolerance)],
    ]);
  }
  return {
    heading: `ODE fit: ${doc.model.source} on ${doc.data.file} (${doc.data.rows} rows)`,
    tables,
    notes: r.warnings.map((w) => w.message),
  };
}
