import { describe, expect, test } from "vitest";
import { BiogradError } from "../../../src/core/errors.js";
import { createRng } from "../../../src/core/rng.js";
import { findModel, type LibraryModel, MODELS } from "../../../src/nls/library/index.js";
import { CASES, simulate } from "./cases.js";

/**
 * Self-starts never return NaN: whatever the data (none, one row, constant, all zero,
 * negative, pure noise, one repeated x, rows with NaN or ±Infinity), every estimate is
 * finite and every `positive` parameter is > 0. And they are equivariant: scaling y scales
 * the amplitude parameters and nothing else.
 */

function expectUsable(model: LibraryModel, start: Record<string, number>) {
  expect(Object.keys(start)).toEqual([...model.params]);
  for (const p of model.params) {
    expect(Number.isFinite(start[p]), `${model.name}.${p} = ${start[p]}`).toBe(true);
  }
  for (const p of model.positive ?? []) expect(start[p], `${model.name}.${p}`).toBeGreaterThan(0);
}

/** Columns for a model from per-row values: x for one-variable models, (S, I) otherwise. */
function columnsFor(model: LibraryModel, x: number[]): Float64Array[] {
  if (model.variables.length === 1) return [Float64Array.from(x)];
  return [Float64Array.from(x), Float64Array.from(x, (_, i) => (i % 3) * 0.5)];
}

const rng = createRng(7);
const noise = Array.from({ length: 20 }, () => rng.normal());
const xs = Array.from({ length: 20 }, (_, i) => (i + 1) / 4);

const DEGENERATE: Record<string, { x: number[]; y: number[] }> = {
  "no rows": { x: [], y: [] },
  "one row": { x: [1], y: [2] },
  "two rows": { x: [1, 2], y: [2, 3] },
  "constant y": { x: xs, y: xs.map(() => 3) },
  "all-zero y": { x: xs, y: xs.map(() => 0) },
  "negative y": { x: xs, y: xs.map((x) => -1 - x) },
  "pure noise": { x: xs, y: noise },
  "one repeated x": { x: xs.map(() => 2), y: noise },
  "zero and negative x": { x: xs.map((x) => x - 2), y: xs.map((x) => x * x) },
  "huge values": { x: xs.map((x) => x * 1e150), y: xs.map((x) => x * 1e150) },
  "only NaN and Infinity": {
    x: [Number.NaN, 1, Number.POSITIVE_INFINITY],
    y: [1, Number.NaN, Number.NEGATIVE_INFINITY],
  },
};

describe.each(MODELS.map((m) => [m.name, m] as const))("%s", (_, model) => {
  const constants = Object.fromEntries(Object.keys(model.constants ?? {}).map((c) => [c, 100]));

  test.each(Object.keys(DEGENERATE))("%s: finite estimates, positives > 0", (kind) => {
    const data = DEGENERATE[kind]!;
    const start = model.selfStart(columnsFor(model, data.x), Float64Array.from(data.y), constants);
    expectUsable(model, start);
  });

  test("too few columns is an error naming the model and its variables", () => {
    expect(() => model.selfStart([], new Float64Array(3))).toThrow(BiogradError);
    expect(() => model.selfStart([], new Float64Array(3))).toThrow(model.variables.join(", "));
  });
});

describe.each(MODELS.map((m) => [m.name, m] as const))("%s on random data", (_, model) => {
  const constants = Object.fromEntries(Object.keys(model.constants ?? {}).map((c) => [c, 100]));
  test("40 seeded random data sets: finite estimates, positives > 0", () => {
    const r = createRng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = r.int(30);
      const scale = 10 ** (16 * r.uniform() - 8);
      // Some repeated x (one in four rows copies an earlier one), a random trend, noise.
      const x: number[] = [];
      for (let i = 0; i < n; i++)
        x.push(i > 0 && r.int(4) === 0 ? x[r.int(i)]! : 42 * r.uniform() - 2);
      const slope = r.normal();
      const y = x.map((v) => scale * (slope * v + r.normal()));
      expectUsable(model, model.selfStart(columnsFor(model, x), Float64Array.from(y), constants));
    }
  });
});

/** How each parameter scales when y is multiplied by c: c^power (0 when not listed). */
const Y_POWER: Record<string, Record<string, number>> = {
  "michaelis-menten": { Vmax: 1 },
  "inhibition-competitive": { Vmax: 1 },
  "inhibition-uncompetitive": { Vmax: 1 },
  hill: { Vmax: 1 },
  hill4: { y0: 1, yinf: 1 },
  "4pl": { bottom: 1, top: 1 },
  "5pl": { bottom: 1, top: 1 },
  logistic: { Asym: 1 },
  gompertz: { A: 1, mu: 1 },
  richards: { A: 1, mu: 1 },
  "exp-decay": { y0: 1 },
  "exp-plateau": { y0: 1, plateau: 1 },
  "exp-rise": { Asym: 1 },
  biexp: { A1: 1, A2: 1 },
  "pk1-oral": { V: -1 },
};

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_, c) => {
  const model = findModel(c.model)!;
  const data = simulate(c, true, 3);
  const start = model.selfStart(data.columns, data.y, c.constants);

  test.each([1e-6, 1e6])("y × %s scales the amplitudes only", (scale) => {
    const scaled = model.selfStart(
      data.columns,
      data.y.map((v) => v * scale),
      c.constants,
    );
    for (const p of model.params) {
      const want = start[p]! * scale ** (Y_POWER[c.model]![p] ?? 0);
      expect(Math.abs(scaled[p]! - want), p).toBeLessThanOrEqual(1e-6 * Math.abs(want) + 1e-12);
    }
  });

  test("rows with NaN or ±Infinity are ignored", () => {
    // One bad row per column (NaN, +∞, −∞ in turn) and two with a bad y.
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const k = data.columns.length;
    const columns = data.columns.map((col, j) =>
      Float64Array.from([
        ...col,
        ...Array.from({ length: k + 2 }, (_, r) => (r === j ? bad[r % 3]! : 1)),
      ]),
    );
    const y = Float64Array.from([
      ...data.y,
      ...Array(k).fill(1),
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]);
    expect(model.selfStart(columns, y, c.constants)).toEqual(start);
  });
});
