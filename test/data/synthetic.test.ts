import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/core/errors.js";
import { createRng } from "../../src/core/rng.js";
import { linearData, seedData } from "../../src/data/synthetic.js";

/** Ordinary least squares slope and intercept of y on a single x. */
function fitLine(x: Float64Array, y: Float64Array): { slope: number; intercept: number } {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

describe("seedData", () => {
  it("has the seed document's shape: 100 points, feature x, target y", () => {
    const data = seedData({ seed: 3 });
    expect(data.rows).toBe(100);
    expect(data.x.length).toBe(100);
    expect(data.y.length).toBe(100);
    expect(data.features).toEqual(["x"]);
    expect(data.target).toBe("y");
    expect(data.source).toBe("synthetic:seed=3");
    for (const v of data.x) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(2);
    }
  });

  it("defaults to seed 42", () => {
    const a = seedData();
    const b = seedData({ seed: 42 });
    expect(a.source).toBe("synthetic:seed=42");
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
  });

  it("is reproducible for a seed and differs between seeds", () => {
    const a = seedData({ n: 50, seed: 7 });
    const b = seedData({ n: 50, seed: 7 });
    const c = seedData({ n: 50, seed: 8 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    expect(Array.from(a.y)).not.toEqual(Array.from(c.y));
  });

  it("draws all of x first, then all the noise, and leaves the generator after them", () => {
    const n = 5;
    const rng = createRng(11);
    const data = seedData({ n, seed: 11 }, rng);
    const ref = createRng(11);
    const x = Array.from({ length: n }, () => 2 * ref.uniform());
    const y = x.map((xi) => 4 + 3 * xi + ref.normal());
    expect(Array.from(data.x)).toEqual(x);
    expect(Array.from(data.y)).toEqual(y);
    // The caller can go on drawing (the seed demo draws w then b next).
    expect(rng.normal()).toBe(ref.normal());
    expect(rng.uniform()).toBe(ref.uniform());
  });

  it("with numpy's generator reproduces the seed document's data exactly", () => {
    const fixture = JSON.parse(
      readFileSync(new URL("../fixtures/seed/seed-numpy.json", import.meta.url), "utf8"),
    ) as { x: number[]; y: number[]; w0: number; b0: number };
    const rng = createRng(42, "numpy");
    const data = seedData({ n: 100, seed: 42 }, rng);
    expect(Array.from(data.x)).toEqual(fixture.x);
    expect(Array.from(data.y)).toEqual(fixture.y);
    expect(rng.normal()).toBe(fixture.w0);
    expect(rng.normal()).toBe(fixture.b0);
  });

  it("is statistically sane: mean x ≈ 1, slope ≈ 3, intercept ≈ 4, noise variance ≈ 1", () => {
    const data = seedData({ n: 10000, seed: 1 });
    expect(Math.abs(mean(data.x) - 1)).toBeLessThan(0.03);
    const { slope, intercept } = fitLine(data.x, data.y);
    expect(Math.abs(slope - 3)).toBeLessThan(0.05);
    expect(Math.abs(intercept - 4)).toBeLessThan(0.06);
    let ss = 0;
    for (let i = 0; i < data.rows; i++) ss += (data.y[i]! - (intercept + slope * data.x[i]!)) ** 2;
    expect(Math.abs(ss / data.rows - 1)).toBeLessThan(0.05);
  });

  it("rejects bad options", () => {
    expect(() => seedData({ n: 0 })).toThrow(OptionError);
    expect(() => seedData({ n: 0 })).toThrow("seedData: n must be an integer >= 1, got 0");
    expect(() => seedData({ seed: -1 })).toThrow(
      "seedData: seed must be an integer in [0, 2^32), got -1",
    );
    expect(() => seedData({ m: 3 } as never)).toThrow(
      'seedData: unknown option "m" (known options: n, seed)',
    );
  });
});

describe("linearData", () => {
  it("has n rows of p features named x1..xp", () => {
    const data = linearData({ n: 7, p: 3, seed: 2 });
    expect(data.rows).toBe(7);
    expect(data.features).toEqual(["x1", "x2", "x3"]);
    expect(data.target).toBe("y");
    expect(data.x.length).toBe(21);
    expect(data.y.length).toBe(7);
    expect(data.source).toBe("synthetic:linear:seed=2");
  });

  it("without noise, y = X·w + b exactly, with default weights 1..p and intercept 0.5", () => {
    const data = linearData({ n: 20, p: 4, seed: 5, noise: 0 });
    for (let i = 0; i < data.rows; i++) {
      let s = 0.5;
      for (let j = 0; j < 4; j++) s += data.x[i * 4 + j]! * (j + 1);
      expect(data.y[i]).toBe(s);
    }
  });

  it("uses the given weights and intercept, and X does not depend on them or on the noise", () => {
    const a = linearData({ n: 10, p: 2, seed: 9, noise: 0, weights: [-1, 3], intercept: 2 });
    const b = linearData({ n: 10, p: 2, seed: 9, noise: 0.5 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    for (let i = 0; i < 10; i++) {
      expect(a.y[i]).toBe(2 + a.x[2 * i]! * -1 + a.x[2 * i + 1]! * 3);
    }
  });

  it("draws X row by row from N(0,1), then the noise", () => {
    const data = linearData({ n: 3, p: 2, seed: 4, noise: 0.25 });
    const ref = createRng(4);
    const x = Array.from({ length: 6 }, () => ref.normal());
    expect(Array.from(data.x)).toEqual(x);
    for (let i = 0; i < 3; i++) {
      const s = 0.5 + x[2 * i]! * 1 + x[2 * i + 1]! * 2;
      expect(data.y[i]).toBe(s + 0.25 * ref.normal());
    }
  });

  it("is reproducible for a seed and differs between seeds", () => {
    const a = linearData({ n: 30, p: 2, seed: 1 });
    const b = linearData({ n: 30, p: 2, seed: 1 });
    const c = linearData({ n: 30, p: 2, seed: 2 });
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.y)).not.toEqual(Array.from(c.y));
  });

  it("has standard-normal features and noise of the requested size", () => {
    const data = linearData({ n: 20000, p: 1, seed: 3, noise: 2, weights: [0], intercept: 0 });
    expect(Math.abs(mean(data.x))).toBeLessThan(0.03);
    const varX = mean(data.x.map((v) => v * v));
    expect(Math.abs(varX - 1)).toBeLessThan(0.04);
    const varY = mean(data.y.map((v) => v * v));
    expect(Math.abs(varY - 4)).toBeLessThan(0.16);
  });

  it("rejects bad options", () => {
    expect(() => linearData({ n: 5, p: 2, weights: [1] })).toThrow(
      "linearData: weights must be a list of p = 2 numbers, got [1]",
    );
    expect(() => linearData({ n: 5, p: 0 })).toThrow(
      "linearData: p must be an integer >= 1, got 0",
    );
    expect(() => linearData({ n: 5, p: 1, noise: -1 })).toThrow(
      "linearData: noise must be a finite number >= 0, got -1",
    );
    expect(() => linearData({ p: 1 } as never)).toThrow(
      "linearData: n must be an integer >= 1, got undefined",
    );
  });
});
