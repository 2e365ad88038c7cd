import { csvText } from "../io/csv-text.js";
import type { CompareModelsResult } from "./compare-models.js";

/** One row per group and model: the group's columns, then the model's numbers and its test. */
export function compareCsv(result: CompareModelsResult): string {
  const groups = result.group ?? [];
  const columns = [
    ...groups,
    "model",
    "n",
    "p",
    "converged",
    "rss",
    "df",
    "aicc",
    "akaike_weight",
    "F",
    "df_numerator",
    "df_denominator",
    "p_value",
    "preferred",
    "failed",
    "reason",
  ];
  const rows = result.comparisons.flatMap((c) =>
    c.fits.map((f) => {
      const test = c.tests.find((t) => t.complex === f.model) ?? null;
      return [
        ...groups.map((g) => c.group?.[g] ?? ""),
        f.model,
        c.n,
        f.p,
        String(f.converged),
        f.rss,
        f.df,
        f.aicc,
        f.akaike_weight,
        test?.F ?? null,
        test?.df_numerator ?? null,
        test?.df_denominator ?? null,
        test?.p_value ?? null,
        String(c.preferred === f.model),
        String(f.failed || c.failed),
        f.reason ?? (c.failed ? c.reason : null),
      ];
    }),
  );
  return csvText(columns, rows);
}
