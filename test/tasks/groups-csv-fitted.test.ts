import { describe, expect, it } from "vitest";
import type { QualityReport } from "../../src/nls/quality/index.js";
import { CsvText } from "../../src/tasks/csv-text.js";
import { fittedRow, type RowFit } from "../../src/tasks/fit-groups-row.js";
import { writeFittedCsvRow, writeGroupsCsvRow } from "../../src/tasks/groups-csv.js";
import { mulberry32 } from "../helpers/seeded.js";

// The CSV line written straight from a fit (`writeFittedCsvRow`, each double through the
// number slot) against the line of its row object (`fittedRow`, then `writeGroupsCsvRow`,
// values through `finite`): the same bytes for finite values, NaN, ±Infinity, −0, nulls,
// a fixed parameter, a missing summary part and text that needs quoting.

const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 5e-324];

function draw(r: () => number): number {
  const k = r();
  if (k < 0.15) return SPECIAL[Math.floor(r() * SPECIAL.length)]!;
  if (k < 0.3) return Math.round((r() - 0.5) * 1e6);
  return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
}

function fitOf(r: () => number, names: string[], free: string[]): RowFit {
  const values = (n: number) => Float64Array.from({ length: n }, () => draw(r));
  const maybe = (n: number) => (r() < 0.15 ? null : values(n));
  const p = free.length;
  return {
    names,
    theta: values(names.length),
    n: 5 + Math.floor(r() * 40),
    converged: r() < 0.8,
    rss: draw(r),
    warnings: [],
    summary: {
      names: free,
      p,
      n: 24,
      rss: Math.abs(draw(r)),
      rSquared: r() < 0.1 ? null : draw(r),
      standardErrors: maybe(p),
      lower: maybe(p),
      upper: maybe(p),
      correlation: null,
    },
  };
}

describe("writeFittedCsvRow", () => {
  it("writes the bytes of the row object's line", () => {
    const r = mulberry32(5);
    const params = ["bottom", "top", "logEC50", "hill"];
    const direct = new CsvText();
    const viaRow = new CsvText();
    for (let n = 0; n < 3000; n++) {
      // Now and then a fixed parameter (not in the summary) or one the fit lacks.
      const names = r() < 0.1 ? params.slice(0, 3) : params;
      const free = r() < 0.2 ? names.filter((x) => x !== "top") : names;
      const fit = fitOf(r, names, free);
      const codes = r() < 0.2 ? ["high-se", "few-points"] : [];
      const quality = { codes } as unknown as QualityReport;
      const group = r() < 0.1 ? ['a "b", c', " d"] : [`C${n}`];
      const reason = r() < 0.5 ? "no fit, at all" : null;
      writeFittedCsvRow(direct, group, fit, null, quality, reason, params);
      writeGroupsCsvRow(viaRow, fittedRow(group, fit, null, quality, reason, {}), params);
      const a = direct.take();
      const b = viaRow.take();
      if (a !== b) expect(a, `case ${n}`).toBe(b);
    }
  });
});
