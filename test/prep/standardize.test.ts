import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/core/errors.js";
import type { Dataset } from "../../src/data/dataset.js";
import { type CategoricalColumn, readTable, tableColumn } from "../../src/data/table.js";
import { fitFeatureEncoder, tableToDataset } from "../../src/prep/features.js";
import { fitLabels } from "../../src/prep/labels.js";
import { splitDataset } from "../../src/prep/split.js";
import {
  fitStandardizer,
  type Standardizer,
  standardize,
  standardizerFromJSON,
  standardizerToJSON,
  unstandardize,
} from "../../src/prep/standardize.js";
import { inputError, thrown } from "./helpers.js";

const data = (features: string[], rows: number[][]) => ({
  features,
  x: Float64Array.from(rows.flat()),
});

function columnMeans(x: Float64Array, p: number): number[] {
  const n = x.length / p;
  const m = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) m[j]! += x[i * p + j]! / n;
  return m;
}

describe("fitStandardizer / standardize", () => {
  const train = data(
    ["a", "b"],
    [
      [1, 10],
      [2, 20],
      [3, 60],
    ],
  );

  it("measures mean and population sd (ddof 0) or sample sd (ddof 1)", () => {
    const s = fitStandardizer(train);
    expect(s.means).toEqual([2, 30]);
    expect(s.sds[0]).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect(s.sds[1]).toBeCloseTo(Math.sqrt(1400 / 3), 12);
    const s1 = fitStandardizer(train, { ddof: 1 });
    expect(s1.sds[0]).toBe(1);
    expect(s1.sds[1]).toBeCloseTo(Math.sqrt(700), 12);
    const z = standardize(s1, train);
    expect([...z].filter((_, k) => k % 2 === 0)).toEqual([-1, 0, 1]);
  });

  it("is fitted on the training rows only: other parts keep their offset", () => {
    const test = data(
      ["a", "b"],
      [
        [4, 70],
        [5, 80],
      ],
    );
    const s = fitStandardizer(train);
    const zTrain = standardize(s, train);
    const zTest = standardize(s, test);
    for (const m of columnMeans(zTrain, 2)) expect(Math.abs(m)).toBeLessThan(1e-15);
    const m = columnMeans(zTest, 2);
    expect(m[0]).toBeCloseTo((4.5 - 2) / Math.sqrt(2 / 3), 12);
    expect(m[0]).toBeGreaterThan(3);
    expect([...unstandardize(s, zTest)]).toEqual(
      [4, 70, 5, 80].map((v, k) => expect.closeTo(v, 12 - (k % 2))),
    );
  });

  it("scales only the chosen columns; the others pass through", () => {
    const s = fitStandardizer(train, { columns: ["b"] });
    expect(s.means).toEqual([0, 30]);
    expect(s.sds[0]).toBe(1);
    expect([...standardize(s, train)].filter((_, k) => k % 2 === 0)).toEqual([1, 2, 3]);
    expect(thrown(() => fitStandardizer(train, { columns: ["c"] }))).toBeInstanceOf(OptionError);
  });

  it("round-trips through JSON exactly", () => {
    const t = data(
      ["x", "y"],
      [
        [0.1, 1e-300],
        [0.7, -3e-300],
        [1 / 3, 2e-300],
      ],
    );
    const s = fitStandardizer(t);
    const json = JSON.stringify(standardizerToJSON(s));
    const back = standardizerFromJSON(JSON.parse(json));
    expect(back).toEqual(s);
    expect(standardize(back, t)).toEqual(standardize(s, t));
    expect(JSON.parse(json)).toMatchObject({
      kind: "standardizer",
      version: 1,
      ddof: 0,
      columns: ["x", "y"],
    });
  });

  it("refuses a constant training column, naming it and saying what to do", () => {
    const t = data(
      ["od600", "ph"],
      [
        [0.1, 7],
        [0.3, 7],
      ],
    );
    expect(inputError(() => fitStandardizer(t))).toMatchInlineSnapshot(
      `"column "ph" is constant in the training rows (every value is 7), so its standard deviation is 0 and it cannot be scaled; drop it from the features (--x), or leave it unscaled (standardizer option columns)"`,
    );
    // Left unscaled, it is fine.
    expect(fitStandardizer(t, { columns: ["od600"] }).sds[1]).toBe(1);
  });

  it("refuses non-finite values, mismatched columns, too few rows and bad JSON", () => {
    expect(
      inputError(() =>
        fitStandardizer(
          data(
            ["a", "b"],
            [
              [1, 2],
              [Number.NaN, 3],
            ],
          ),
        ),
      ),
    ).toMatchInlineSnapshot(
      `"fitStandardizer: column "a", row 1 (0-based) is NaN; features must be finite (read files with na tokens to drop rows with missing values)"`,
    );
    const s = fitStandardizer(train);
    expect(inputError(() => standardize(s, data(["b", "a"], [[1, 2]])))).toMatchInlineSnapshot(
      `"the data's features do not match the standardiser's (column 1 is "b", expected "a"); use the same columns in the same order as in training"`,
    );
    expect(inputError(() => standardize(s, data(["a"], [[1]])))).toMatchInlineSnapshot(
      `"the data's features do not match the standardiser's (column 2 is "(none)", expected "b"); use the same columns in the same order as in training"`,
    );
    expect(
      inputError(() => fitStandardizer(data(["a"], [[1]]), { ddof: 1 })),
    ).toMatchInlineSnapshot(
      `"1 training row is too few to measure a standard deviation with ddof = 1"`,
    );
    const json = standardizerToJSON(s);
    expect(inputError(() => standardizerFromJSON({ ...json, sds: [1, 0] }))).toMatchInlineSnapshot(
      `"standardizer JSON: sds[1] (column "b") must be a finite number > 0, got 0"`,
    );
    expect(inputError(() => standardizerFromJSON({ ...json, means: [1] }))).toMatchInlineSnapshot(
      `"standardizer JSON: means must be a list of 2 numbers, one per column"`,
    );
    expect(inputError(() => standardizerFromJSON({ ...json, version: 2 }))).toMatchInlineSnapshot(
      `"standardizer JSON: unsupported version 2 (this reads 1)"`,
    );
    expect(inputError(() => standardizerFromJSON(null))).toMatchInlineSnapshot(
      `"standardizer JSON: expected an object with kind "standardizer""`,
    );
  });
});

describe("on the breast-cancer data", () => {
  const ref = JSON.parse(readFileSync("test/fixtures/sklearn/logistic-reference.json", "utf8"))
    .binary as { features: string[]; standardisation: { means: number[]; sds: number[] } };
  const table = readTable("examples/breast-cancer-wisconsin.csv", {
    columns: [
      { name: "diagnosis", type: "categorical" },
      ...ref.features.map((name) => ({ name, type: "numeric" as const })),
    ],
  });
  const labels = fitLabels(tableColumn(table, "diagnosis") as CategoricalColumn, {
    task: "binary",
  });
  const all: Dataset = tableToDataset(table, fitFeatureEncoder(table, ref.features), { labels });

  it("matches numpy's mean and std (ddof 0) on all rows to 1e-13 relative", () => {
    const s: Standardizer = fitStandardizer(all);
    s.means.forEach((m, j) => {
      expect(Math.abs(m - ref.standardisation.means[j]!)).toBeLessThanOrEqual(1e-13 * Math.abs(m));
    });
    s.sds.forEach((sd, j) => {
      expect(Math.abs(sd - ref.standardisation.sds[j]!)).toBeLessThanOrEqual(1e-13 * sd);
    });
  });

  it("fitted on a stratified training part, leaves validation and test off-centre", () => {
    const { train, validation, test } = splitDataset(all, { seed: 5, stratify: true });
    const s = fitStandardizer(train);
    const p = all.features.length;
    for (const m of columnMeans(standardize(s, train), p)) expect(Math.abs(m)).toBeLessThan(1e-12);
    for (const part of [validation, test]) {
      const means = columnMeans(standardize(s, part), p);
      expect(Math.max(...means.map(Math.abs))).toBeGreaterThan(0.01);
    }
  });
});

describe("extreme scales", () => {
  it("gives a finite sd > 0 when squares would underflow or overflow", () => {
    const tiny = fitStandardizer(data(["t"], [[1e-300], [-3e-300], [2e-300]]));
    expect(tiny.sds[0]).toBeCloseTo(Math.sqrt(14 / 3) * 1e-300, 310);
    expect(tiny.sds[0]! / 1e-300).toBeCloseTo(Math.sqrt(14 / 3), 14);
    const huge = fitStandardizer(data(["h"], [[1e300], [-1e300], [1e308]]));
    expect(Number.isFinite(huge.sds[0]!)).toBe(true);
    expect(Number.isFinite(huge.means[0]!)).toBe(true);
    expect(huge.means[0]! / 1e308).toBeCloseTo(1 / 3, 14);
  });
});
