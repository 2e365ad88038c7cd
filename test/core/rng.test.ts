import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRng, shuffleInPlace } from "../../src/core/rng.js";

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/seed/seed-numpy.json", import.meta.url), "utf8"),
) as { x: number[]; y: number[]; w0: number; b0: number };

describe("rng", () => {
  it("the numpy generator replays np.random.seed(42); rand; randn bit for bit", () => {
    // The fixture was written by numpy itself (test/fixtures/seed/make_seed_fixture.py).
    const rng = createRng(42, "numpy");
    const x = Array.from({ length: 100 }, () => 2 * rng.uniform());
    const y = x.map((xi) => 4 + 3 * xi + rng.normal());
    expect(x).toEqual(fixture.x);
    expect(y).toEqual(fixture.y);
    expect(rng.normal()).toBe(fixture.w0);
    expect(rng.normal()).toBe(fixture.b0);
  });

  it("the same seed gives the same stream; another seed another", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const sa = Array.from({ length: 50 }, () => a.uniform());
    expect(Array.from({ length: 50 }, () => b.uniform())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.uniform())).not.toEqual(sa);
  });

  it("uniform lies in [0, 1) with the right mean and variance; normal has mean 0, variance 1", () => {
    const rng = createRng(123);
    const n = 200_000;
    let su = 0;
    let suu = 0;
    let sn = 0;
    let snn = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      su += u;
      suu += u * u;
      const z = rng.normal();
      sn += z;
      snn += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard errors: uniform mean 0.00065, normal mean 0.0022, normal variance 0.0032.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(suu / n - (su / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(Math.abs(snn / n - 1)).toBeLessThan(0.015);
  });

  it("rejects a seed outside [0, 2^32)", () => {
    expect(() => createRng(-1)).toThrow("seed must be an integer in [0, 2^32), got -1");
    expect(() => createRng(1.5)).toThrow("got 1.5");
  });

  it("shuffle is a seeded permutation", () => {
    const a = Uint32Array.from({ length: 20 }, (_, i) => i);
    shuffleInPlace(a, createRng(3));
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    const b = Uint32Array.from({ length: 20 }, (_, i) => i);
    shuffleInPlace(b, createRng(3));
    expect([...b]).toEqual([...a]);
  });
});
