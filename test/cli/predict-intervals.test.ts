import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { utils, write } from "@e965/xlsx";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/**
 * `predict --interval confidence|prediction` from a saved Puromycin fit against a hand
 * delta-method computation and lmfit's eval_uncertainty
 * (test/fixtures/lmfit/lmfit-bands-reference.json), and `--sheet` on a generated workbook.
 */
const here = (path: string) => new URL(path, import.meta.url).pathname;
const PUROMYCIN = here("../../examples/puromycin-treated.csv");

interface HandLevel {
  level: number;
  confidence_half_width: number[];
  prediction_half_width: number[];
}
const BANDS = JSON.parse(
  readFileSync(here("../fixtures/lmfit/lmfit-bands-reference.json"), "utf8"),
) as {
  grid: number[];
  fitted_on_grid: number[];
  hand: { level_95: HandLevel; level_6827: HandLevel };
  lmfit: Record<string, { dely: number[] }>;
};

let dir = "";
let saved = "";
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "biograd-bands-"));
  saved = join(dir, "puromycin.json");
  const r = await cli(
    "fit",
    PUROMYCIN,
    ...["--model", "michaelis-menten", "--x", "conc", "--y", "rate", "--out", saved],
  );
  expect(r.code, r.err.join("\n")).toBe(0);
});

async function band(kind: string, ...extra: string[]) {
  const r = await cli("predict", saved, "--at", BANDS.grid.join(","), "--interval", kind, ...extra);
  expect(r.code, r.err.join("\n")).toBe(0);
  const lines = r.out.filter((l) => l !== "");
  expect(lines[0]).toBe("conc,fit,lower,upper");
  return lines.slice(1).map((l) => l.split(",").map(Number)) as number[][];
}

/** |a − b| relative to the scale of the band (the half width at b, or 1 where it is 0). */
function expectClose(a: number, b: number, scale: number, tol: number) {
  expect(Math.abs(a - b) / Math.max(Math.abs(scale), 1)).toBeLessThan(tol);
}

describe("predict --interval", () => {
  it("confidence at 95 %: the hand delta method to 1e-9 and lmfit's eval_uncertainty to 2e-3", async () => {
    const rows = await band("confidence");
    const hand = BANDS.hand.level_95;
    const lmfit = BANDS.lmfit["sigma_0.95"]!.dely;
    rows.forEach(([x, fit, lower, upper], i) => {
      expect(x).toBe(BANDS.grid[i]);
      expectClose(fit!, BANDS.fitted_on_grid[i]!, BANDS.fitted_on_grid[i]!, 1e-9);
      const half = (upper! - lower!) / 2;
      expectClose(half, hand.confidence_half_width[i]!, hand.confidence_half_width[i]!, 1e-9);
      expect((upper! + lower!) / 2).toBeCloseTo(fit!, 9);
      if (lmfit[i]! > 0) expect(Math.abs(half / lmfit[i]! - 1)).toBeLessThan(2e-3);
    });
    expect(rows[0]!.slice(1)).toEqual([0, 0, 0]); // the curve is pinned at x = 0
  });

  it("prediction at 95 % and confidence at 68.27 % (--level) match the hand bands", async () => {
    const p95 = await band("prediction");
    p95.forEach(([, , lower, upper], i) => {
      const want = BANDS.hand.level_95.prediction_half_width[i]!;
      expectClose((upper! - lower!) / 2, want, want, 1e-9);
    });
    const c68 = await band("confidence", "--level", String(BANDS.hand.level_6827.level));
    c68.forEach(([, , lower, upper], i) => {
      const want = BANDS.hand.level_6827.confidence_half_width[i]!;
      expectClose((upper! - lower!) / 2, want, want, 1e-9);
    });
  });

  it("refuses an interval for a fit saved without its covariance, in one line", async () => {
    const doc = JSON.parse(readFileSync(saved, "utf8"));
    delete doc.result.covariance;
    const old = join(dir, "old.json");
    writeFileSync(old, JSON.stringify(doc));
    const r = await cli("predict", old, "--at", "0.1", "--interval", "confidence");
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `biograd: ${old}: result.covariance: missing (saved by an older biograd); refit to predict with --interval`,
    ]);
    // Without --interval the old file still predicts.
    const plain = await cli("predict", old, "--at", "0.1");
    expect(plain.code).toBe(0);
  });

  it("validates the saved covariance by schema", async () => {
    const doc = JSON.parse(readFileSync(saved, "utf8"));
    delete doc.result.covariance.Km.Vmax;
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(doc));
    const r = await cli("predict", bad, "--at", "0.1", "--interval", "confidence");
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `biograd: ${bad}: result.covariance.Km.Vmax: missing: the covariance needs every pair of free parameters`,
    ]);
  });

  it("--level without --interval and a level outside (0, 1) are refused", async () => {
    let r = await cli("predict", saved, "--at", "0.1", "--level", "0.9");
    expect(r.err).toEqual(["biograd: --level: only with --interval"]);
    r = await cli("predict", saved, "--at", "0.1", "--interval", "confidence", "--level", "95");
    expect(r.err).toEqual(['biograd: --level: expected a number in (0, 1), got "95"']);
  });
});

describe("--sheet", () => {
  it("fit reads the named sheet of a workbook and gives the CSV's estimates", async () => {
    const lines = readFileSync(PUROMYCIN, "utf8").trim().split("\n");
    const rows = lines.map((l, i) => (i === 0 ? l.split(",") : l.split(",").map(Number)));
    const book = utils.book_new();
    utils.book_append_sheet(book, utils.aoa_to_sheet([["note"], ["not the data"]]), "Notes");
    utils.book_append_sheet(book, utils.aoa_to_sheet(rows), "Treated");
    const file = join(dir, "plate.xlsx");
    writeFileSync(file, write(book, { type: "buffer", bookType: "xlsx" }) as Buffer);
    const args = ["--model", "michaelis-menten", "--x", "conc", "--y", "rate", "--format", "json"];
    const fromSheet = await cli("fit", file, "--sheet", "Treated", ...args);
    expect(fromSheet.code, fromSheet.err.join("\n")).toBe(0);
    const fromCsv = await cli("fit", PUROMYCIN, ...args);
    const a = JSON.parse(fromSheet.out.at(-1)!);
    const b = JSON.parse(fromCsv.out.at(-1)!);
    expect(a.estimates).toEqual(b.estimates);
    // Without --sheet the first sheet is read: it has no such column, and says where to look.
    const first = await cli("fit", file, ...args);
    expect(first.code).toBe(2);
    expect(first.err.join("\n")).toMatch(/choose one with --sheet/);
    // --sheet on a text file is refused.
    const text = await cli("fit", PUROMYCIN, "--sheet", "Treated", ...args);
    expect(text.err).toEqual([
      "biograd: --sheet: only an Excel workbook (.xlsx) has sheets; this is a text file",
    ]);
  });
});
