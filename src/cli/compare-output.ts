import type { Comparison } from "../tasks/compare-fits.js";
import type { CompareModelsResult } from "../tasks/compare-models.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";

export { compareCsv } from "../tasks/compare-csv.js";

/** The comparison as tables: per model RSS, df, AICc and weight, the F tests, the choice. */
export function printComparison(io: CliIO, result: CompareModelsResult): void {
  const { data, models, group } = result;
  const by = group ? `; by ${group.join(", ")}` : "";
  io.out(`biograd compare: ${data.y} ~ ${models.join(" vs ")}   (${data.rows} rows${by})`);
  for (const c of result.comparisons) {
    io.out("");
    if (c.group)
      io.out(
        Object.entries(c.group)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", "),
      );
    printOne(io, c, result.alpha);
  }
  const failed = result.comparisons.filter((c) => c.failed).length;
  if (group) {
    io.out("");
    io.out(
      `${result.comparisons.length - failed} of ${result.comparisons.length} groups compared; ${failed} failed`,
    );
  }
}

function printOne(io: CliIO, c: Comparison, alpha: number): void {
  const show = (v: number | null, f: (v: number) => string) => (v === null ? "-" : f(v));
  const head = ["model", "params", "RSS", "df", "AICc", "Akaike weight"];
  const body = c.fits.map((f) =>
    f.failed
      ? [f.model, "-", "-", "-", "-", `failed: ${f.reason}`]
      : [
          f.model,
          String(f.p),
          sci(f.rss!, 6),
          String(f.df),
          show(f.aicc, (v) => v.toFixed(3)),
          show(f.akaike_weight, (v) => v.toFixed(4)),
        ],
  );
  for (const line of table([head, ...body])) io.out(line);
  for (const t of c.tests) {
    io.out(
      `F test ${t.simple} vs ${t.complex}: F(${t.df_numerator}, ${t.df_denominator}) = ${t.F.toPrecision(4)}, ` +
        `p = ${t.p_value.toPrecision(4)}; ΔAICc = ${show(t.delta_aicc, (v) => v.toFixed(3))}`,
    );
    for (const w of t.warnings) io.out(`Warning: ${w}`);
  }
  if (c.failed) {
    io.out(`Comparison failed: ${c.reason}`);
    return;
  }
  const how =
    c.preferred === c.preferred_by_f && c.preferred_by_f !== null
      ? `F test, alpha ${alpha}`
      : "AICc";
  io.out(
    `Preferred: ${c.preferred ?? "-"} (${how}); by AICc: ${c.preferred_by_aicc ?? "-"}` +
      (c.preferred_by_f === null ? "; no F test (models not given in nested order)" : ""),
  );
}
