import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/core/errors.js";
import type { Dataset } from "../../src/data/dataset.js";
import { readTable } from "../../src/data/table.js";
import { encodeLabels, fitLabels } from "../../src/prep/labels.js";
import { apportion, stratifiedQuotas } from "../../src/prep/quotas.js";
import { splitDataset, splitIndices, takeRows } from "../../src/prep/split.js";
import { lcg } from "../helpers/float.js";
import { inputError, thrown } from "./helpers.js";

function partition(rows: number, s: ReturnType<typeof splitIndices>): void {
  const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: rows }, (_, i) => i));
  for (const part of [s.train, s.validation, s.test]) {
    for (let m = 1; m < part.length; m++) expect(part[m]!).toBeGreaterThan(part[m - 1]!);
  }
}

function counts(labels: ArrayLike<number>, rows: ArrayLike<number>, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (let m = 0; m < rows.length; m++) c[labels[rows[m]!]!]! += 1;
  return c;
}

describe("apportion", () => {
  it("rounds by largest remainder, ties to the earlier part, and sums to n", () => {
    expect(apportion(569, [0.7, 0.15, 0.15])).toEqual([398, 86, 85]);
    expect(apportion(100, [0.7, 0.15, 0.15])).toEqual([70, 15, 15]);
    expect(apportion(20, [0.7, 0.15, 0.15])).toEqual([14, 3, 3]);
    expect(apportion(10, [0.8, 0.1, 0.1])).toEqual([8, 1, 1]);
    expect(apportion(7, [1, 0, 0])).toEqual([7, 0, 0]);
    expect(apportion(3, [0.5, 0.5, 0])).toEqual([2, 1, 0]);
    for (let n = 1; n < 300; n++) {
      expect(apportion(n, [0.6, 0.25, 0.15]).reduce((a, b) => a + b)).toBe(n);
    }
  });
});

describe("splitIndices", () => {
  it("gives the apportioned sizes and a partition of the rows, each part in increasing order", () => {
    const s = splitIndices(569, { seed: 1 });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([398, 86, 85]);
    partition(569, s);
    const t = splitIndices(10, { fractions: { train: 0.5, validation: 0, test: 0.5 } });
    expect([t.train.length, t.validation.length, t.test.length]).toEqual([5, 0, 5]);
    partition(10, t);
  });

  it("is determined by the seed (and algorithm)", () => {
    const a = splitIndices(200, { seed: 7 });
    expect(splitIndices(200, { seed: 7 })).toEqual(a);
    expect(splitIndices(200, { seed: 8 }).train).not.toEqual(a.train);
    expect(splitIndices(200, { seed: 7, algorithm: "numpy" }).train).not.toEqual(a.train);
    // The default seed is 42.
    expect(splitIndices(200)).toEqual(splitIndices(200, { seed: 42 }));
  });

  it("stratified: every class in every part, in proportion (within one row)", () => {
    // Three classes of very different sizes, interleaved.
    const labels: number[] = [];
    for (let i = 0; i < 300; i++) labels.push(i % 10 === 0 ? 2 : i % 3 === 0 ? 1 : 0);
    const n = [0, 1, 2].map((k) => labels.filter((l) => l === k).length);
    for (const seed of [1, 2, 3]) {
      const s = splitIndices(300, { seed, stratify: labels });
      partition(300, s);
      expect([s.train.length, s.validation.length, s.test.length]).toEqual([210, 45, 45]);
      const f = [0.7, 0.15, 0.15];
      [s.train, s.validation, s.test].forEach((part, j) => {
        const c = counts(labels, part, 3);
        c.forEach((ck, k) => {
          expect(ck).toBeGreaterThanOrEqual(1);
          expect(Math.abs(ck - n[k]! * f[j]!)).toBeLessThanOrEqual(1);
        });
      });
    }
  });

  it("stratified on the breast-cancer labels: 212 M / 357 B in each part in proportion", () => {
    const table = readTable("examples/breast-cancer-wisconsin.csv", {
      columns: [{ name: "diagnosis", type: "categorical" }],
    });
    const column = table.columns[0]!;
    if (column.type !== "categorical") throw new Error("categorical expected");
    const labels = encodeLabels(fitLabels(column, { task: "binary" }), column.values);
    const s = splitIndices(569, { seed: 2024, stratify: labels });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([398, 86, 85]);
    // B: 357·(0.7, 0.15, 0.15) = 249.9, 53.55, 53.55; M: 212·(…) = 148.4, 31.8, 31.8.
    expect(counts(labels, s.train, 2)).toEqual([250, 148]);
    expect(counts(labels, s.validation, 2)).toEqual([54, 32]);
    expect(counts(labels, s.test, 2)).toEqual([53, 32]);
  });

  it("stratified with a class too small for every part is an error naming the class", () => {
    const labels = [0, 0, 0, 0, 0, 0, 1, 1, 0, 0];
    expect(inputError(() => splitIndices(10, { stratify: labels }))).toMatchInlineSnapshot(
      `"--split: class 1 (0-based class index) has 2 rows, too few to put one in each of the 3 parts (train, validation, test); merge or drop the class, or set a fraction to 0"`,
    );
    // With two parts, two rows are enough.
    const s = splitIndices(10, {
      stratify: labels,
      fractions: { train: 0.5, validation: 0, test: 0.5 },
    });
    expect(counts(labels, s.train, 2)[1]).toBe(1);
    expect(counts(labels, s.test, 2)[1]).toBe(1);
  });

  it("rejects bad fractions, labels and row counts", () => {
    // Numbers a command-line user can type (--split, --seed) are named by their option ...
    expect(
      inputError(() =>
        splitIndices(100, { fractions: { train: 0.7, validation: 0.2, test: 0.2 } }),
      ),
    ).toBe(
      "--split: expected fractions train,validation,test in [0, 1] summing to 1, with train > 0, got 0.7,0.2,0.2",
    );
    expect(
      inputError(() =>
        splitIndices(100, { fractions: { train: -0.1, validation: 0.6, test: 0.5 } }),
      ),
    ).toContain("got -0.1,0.6,0.5");
    expect(
      inputError(() => splitIndices(100, { fractions: { train: 0, validation: 0.5, test: 0.5 } })),
    ).toContain("with train > 0, got 0,0.5,0.5");
    expect(inputError(() => splitIndices(100, { seed: 2 ** 32 }))).toBe(
      "--seed: expected an integer in [0, 2^32), got 4294967296",
    );
    // ... wrong types, a library caller's mistake, by the function's option.
    const e = thrown(() => splitIndices(100, { fractions: [0.7, 0.3, 0] as never }));
    expect(e).toBeInstanceOf(OptionError);
    expect(e.message).toBe(
      "splitIndices: fractions must be { train, validation, test }: three numbers, got [0.7,0.3,0]",
    );
    expect(inputError(() => splitIndices(3))).toMatchInlineSnapshot(
      `"--split: 3 rows are too few for a test part of 0.15 (it would be empty); use more rows or set its fraction to 0"`,
    );
    const two = { fractions: { train: 0.5, validation: 0, test: 0.5 } };
    expect(
      inputError(() => splitIndices(4, { ...two, stratify: [0, 1, 0.5, 1] })),
    ).toMatchInlineSnapshot(
      `"splitIndices: stratify[2] is 0.5; class labels must be integers >= 0 (class indices)"`,
    );
    expect(inputError(() => splitIndices(4, { ...two, stratify: [0, 1] }))).toMatchInlineSnapshot(
      `"splitIndices: stratify has 2 class labels for 4 rows"`,
    );
  });
});

describe("splitDataset / takeRows", () => {
  const data: Dataset = {
    features: ["a", "b"],
    target: "y",
    rows: 20,
    x: Float64Array.from({ length: 40 }, (_, k) => k),
    y: Float64Array.from({ length: 20 }, (_, i) => i % 2),
    source: "inline",
  };

  it("takes whole rows (x and y) and names the parts", () => {
    const t = takeRows(data, [3, 0]);
    expect([...t.x]).toEqual([6, 7, 0, 1]);
    expect([...t.y]).toEqual([1, 0]);
    const s = splitDataset(data, { seed: 3, stratify: true });
    expect(s.train.rows + s.validation.rows + s.test.rows).toBe(20);
    expect(s.test.source).toBe("inline#test");
    for (const part of ["train", "validation", "test"] as const) {
      const d = s[part];
      const idx = s.indices[part];
      for (let m = 0; m < d.rows; m++) {
        expect(d.x[2 * m]).toBe(2 * idx[m]!);
        expect(d.y[m]).toBe(idx[m]! % 2);
      }
    }
    expect(splitDataset(data, { seed: 3, stratify: true }).indices).toEqual(
      splitIndices(20, { seed: 3, stratify: data.y }),
    );
  });
});

describe("stratifiedQuotas", () => {
  it("places every row, fills every part, keeps the part sizes and stays near proportional", () => {
    const rand = lcg(99);
    const names = ["train", "validation", "test"];
    let tested = 0;
    let proportional = 0;
    for (let t = 0; t < 2000; t++) {
      const k = 1 + Math.floor(rand() * 6);
      const counts = Array.from(
        { length: k },
        () => 3 + Math.floor(rand() * (rand() < 0.5 ? 10 : 300)),
      );
      const a = 0.05 + rand() * 0.9;
      const b = rand() * (1 - a);
      const fractions = [a, b, 1 - a - b];
      const n = counts.reduce((s, c) => s + c, 0);
      const sizes = apportion(n, fractions);
      const active = fractions.map((f) => f > 0);
      if (sizes.some((s, j) => s < (active[j] ? k : 0))) continue; // parts too small for all classes
      const q = stratifiedQuotas(counts, fractions, sizes, names);
      const binding = counts.some((nk) => fractions.some((f) => f > 0 && nk * f < 1));
      tested++;
      if (!binding) proportional++;
      q.forEach((row, c) => {
        expect(row.reduce((s, v) => s + v, 0)).toBe(counts[c]);
        row.forEach((v, j) => {
          if (active[j]) expect(v).toBeGreaterThanOrEqual(1);
          // Within one row of proportional unless a class is too small for its share
          // (n_k·f_j < 1, so the one-per-part minimum takes rows from elsewhere).
          if (!binding) expect(Math.abs(v - counts[c]! * fractions[j]!)).toBeLessThan(1);
        });
      });
      sizes.forEach((size, j) => {
        expect(q.reduce((s, row) => s + row[j]!, 0)).toBe(size);
      });
    }
    expect(tested).toBeGreaterThan(1000);
    expect(proportional).toBeGreaterThan(300);
  });
});
