import { describe, expect, it } from "vitest";
import { atBounds, parameterise, toInternal, toNatural } from "../../src/nls/parameters.js";

describe("parameterisation (bounds as transforms, never clamps)", () => {
  const specs = [
    { name: "a", start: -3 },
    { name: "b", start: 2, lower: 0 },
    { name: "c", start: -1, upper: 5 },
    { name: "d", start: 0.25, lower: 0, upper: 1 },
    { name: "e", start: 7, fixed: true },
  ];
  const p = parameterise(specs);

  it("maps the start to φ and back exactly (up to rounding), fixed values untouched", () => {
    const phi = toInternal(p);
    expect(phi).toHaveLength(4);
    expect(phi[0]).toBe(-1); // scaled by |start|
    const theta = new Float64Array(5);
    toNatural(p, phi, theta, new Float64Array(4));
    for (const [i, s] of specs.entries()) expect(theta[i]).toBeCloseTo(s.start, 14);
  });

  it("every φ maps strictly inside the bounds", () => {
    const theta = new Float64Array(5);
    const d = new Float64Array(4);
    for (const v of [-30, -5, 0, 5, 30]) {
      toNatural(p, Float64Array.of(v, v, v, v), theta, d);
      expect(theta[1]).toBeGreaterThan(0);
      expect(theta[2]).toBeLessThan(5);
      expect(theta[3]).toBeGreaterThanOrEqual(0);
      expect(theta[3]).toBeLessThanOrEqual(1);
      expect(theta[4]).toBe(7);
    }
  });

  it("dθ/dφ matches central finite differences", () => {
    const phi = Float64Array.of(0.3, -0.7, 1.2, -0.4);
    const theta = new Float64Array(5);
    const d = new Float64Array(4);
    toNatural(p, phi, theta, d);
    const h = 1e-6;
    for (let k = 0; k < 4; k++) {
      const up = Float64Array.from(phi);
      const down = Float64Array.from(phi);
      up[k]! += h;
      down[k]! -= h;
      const tu = new Float64Array(5);
      const td = new Float64Array(5);
      toNatural(p, up, tu, new Float64Array(4));
      toNatural(p, down, td, new Float64Array(4));
      const index = p.free[k]!.index;
      expect(((tu[index]! - td[index]!) / (2 * h) - d[k]!) / Math.abs(d[k]!)).toBeLessThan(1e-8);
    }
  });

  it("rejects a start outside its bounds and crossed bounds, naming the parameter", () => {
    expect(() => parameterise([{ name: "K", start: -1, lower: 0 }])).toThrow(
      "parameter K: start -1 is outside its bounds (0, Infinity); give a start strictly inside them",
    );
    expect(() => parameterise([{ name: "K", start: 1, lower: 2, upper: 1 }])).toThrow(
      "parameter K: lower bound 2 must be below upper bound 1",
    );
  });

  it("reports parameters at a bound", () => {
    expect(atBounds(p, Float64Array.of(-3, 1e-12, -1, 0.5, 7))).toEqual(["b"]);
    expect(atBounds(p, Float64Array.of(-3, 2, -1, 1 - 1e-9, 7))).toEqual(["d"]);
  });

  it("judges the distance to a bound on the parameter's own scale", () => {
    // The same specs and estimates in units a million times smaller give the same verdicts.
    for (const scale of [1, 1e-6, 1e6]) {
      const q = parameterise(
        specs.map((s) => ({
          ...s,
          start: s.start * scale,
          upper: s.upper === undefined ? undefined : s.upper * scale,
          lower: s.lower === undefined ? undefined : s.lower * scale,
        })),
      );
      expect(
        atBounds(
          q,
          Float64Array.of(-3, 0.34, -1, 0.5, 7).map((v) => v * scale),
        ),
      ).toEqual([]);
      expect(
        atBounds(
          q,
          Float64Array.of(-3, 1e-12, -1, 0.5, 7).map((v) => v * scale),
        ),
      ).toEqual(["b"]);
    }
  });
});
