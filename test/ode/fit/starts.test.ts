import { describe, expect, it } from "vitest";
import { summariseStarts } from "../../../src/ode/fit/multistart.js";
import { latinHypercubeStarts, startRanges } from "../../../src/ode/fit/starts.js";

describe("multistart starts", () => {
  const ranges = startRanges([
    { name: "k", start: 2, lower: 0 },
    { name: "wide", start: 1, lower: 1e-5, upper: 1e5 },
    { name: "shift", start: -3 },
    { name: "frac", start: 0.5, lower: 0, upper: 1 },
  ]);

  it("draw positive parameters log-uniformly and the others uniformly, inside their bounds", () => {
    expect(ranges.map((r) => r.log)).toEqual([true, true, false, true]);
    expect(ranges[0]!.lower).toBeCloseTo(0.2, 12);
    expect(ranges[0]!.upper).toBeCloseTo(20, 12);
    expect(ranges[1]!.lower).toBeGreaterThan(1e-5);
    expect(ranges[1]!.upper).toBeLessThan(1e5);
    expect(ranges[2]!.lower).toBe(-33);
    expect(ranges[2]!.upper).toBe(27);
    expect(ranges[3]!.lower).toBeGreaterThan(0.05 - 1e-12);
    expect(ranges[3]!.upper).toBeLessThan(1);
  });

  it("use every stratum of every parameter exactly once (Latin hypercube)", () => {
    const n = 40;
    const draws = latinHypercubeStarts(ranges, n, 11);
    ranges.forEach((r, j) => {
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        const v = draws[i * ranges.length + j]!;
        expect(v).toBeGreaterThan(r.lower);
        expect(v).toBeLessThan(r.upper);
        const u = r.log
          ? (Math.log(v) - Math.log(r.lower)) / (Math.log(r.upper) - Math.log(r.lower))
          : (v - r.lower) / (r.upper - r.lower);
        seen.add(Math.floor(u * n));
      }
      expect(seen.size).toBe(n);
    });
    // A 1e-5…1e5 range is sampled across its decades, not crowded at the top.
    const wide = Array.from({ length: n }, (_, i) => draws[i * ranges.length + 1]!);
    expect(wide.filter((v) => v < 1).length).toBe(n / 2);
  });

  it("are reproducible from the seed and differ between seeds", () => {
    expect(latinHypercubeStarts(ranges, 10, 5)).toEqual(latinHypercubeStarts(ranges, 10, 5));
    expect(latinHypercubeStarts(ranges, 10, 5)).not.toEqual(latinHypercubeStarts(ranges, 10, 6));
  });

  it("count the runs within the relative tolerance of the best value, failures last", () => {
    const run = (index: number, rss: number | null) => ({
      index,
      start: [index],
      estimates: rss === null ? null : [index],
      rss,
      converged: rss !== null,
      failures: 0,
      evaluations: 1,
    });
    const s = summariseStarts(
      [run(0, 10.0001), run(1, null), run(2, 10), run(3, 10.000001), run(4, 57)],
      9,
    );
    expect(s.waterfall.map((r) => r.index)).toEqual([2, 3, 0, 4, 1]);
    expect(s.best).toBe(2);
    expect(s.hits).toBe(2);
    expect(s.seed).toBe(9);
  });
});
