import { describe, expect, it } from "vitest";
import { erf, erfc, normalCdf, normalPdf } from "../../src/nn/math/erf.js";
import { ulpDistance } from "../helpers/float.js";

// Correctly rounded references from mpmath at 40 digits (mpmath.erf, mpmath.erfc,
// mpmath.ncdf, then float()); scipy.special agrees to the last digit except at a few points.
const ERF: [number, number][] = [
  [0, 0],
  [1e-300, 1.1283791670955126e-300],
  [1e-10, 1.1283791670955126e-10],
  [0.1, 0.1124629160182849],
  [0.3, 0.3286267594591274],
  [0.46875, 0.49261347321793797],
  [0.47, 0.4937450508860821],
  [0.5, 0.5204998778130465],
  [0.8, 0.7421009647076605],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [3, 0.9999779095030014],
  [3.99, 0.9999999832607886],
  [4, 0.9999999845827421],
  [4.01, 0.9999999858030606],
  [4.5, 0.9999999998033839],
  [5, 0.9999999999984626],
  [6, 1],
  [-0.25, -0.27632639016823696],
  [-0.7, -0.6778011938374184],
  [-2.5, -0.999593047982555],
];
const ERFC: [number, number][] = [
  [0.1, 0.887537083981715],
  [0.46875, 0.507386526782062],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047266],
  [3, 2.209049699858544e-5],
  [4, 1.541725790028002e-8],
  [5, 1.537459794428035e-12],
  [6, 2.1519736712498913e-17],
  [8, 1.1224297172982926e-29],
  [10, 2.088487583762545e-45],
  [15, 7.212994172451207e-100],
  [20, 5.395865611607901e-176],
  [26, 5.663192408856143e-296],
  [26.5, 2.2109076642637343e-307],
  [-1, 1.8427007929497148],
  [-3, 1.9999779095030015],
];
const NORMAL_CDF: [number, number][] = [
  [-1, 0.15865525393145705],
  [-5, 2.866515718791939e-7],
  [-10, 7.619853024160525e-24],
  [-20, 2.7536241186062337e-89],
  [-37, 5.725571222524577e-300],
  [0, 0.5],
  [1.96, 0.9750021048517795],
  [8, 0.9999999999999993],
];

describe("erf, erfc, Φ (Cody's rational approximations)", () => {
  it.each(ERF)("erf(%s) is within 2 ulps of the correctly rounded value", (x, want) => {
    expect(ulpDistance(erf(x), want)).toBeLessThanOrEqual(2);
  });

  it.each(ERFC)("erfc(%s) is within 4 ulps (relative accuracy deep in the tail)", (x, want) => {
    expect(ulpDistance(erfc(x), want)).toBeLessThanOrEqual(4);
  });

  it.each(NORMAL_CDF)(
    "Φ(%s) is within 4 ulps (no 1 − erf cancellation in the lower tail)",
    (z, want) => {
      expect(ulpDistance(normalCdf(z), want)).toBeLessThanOrEqual(4);
    },
  );

  it("has the limits and symmetries: erf(±∞) = ±1, erfc(∞) = 0, erf(−x) = −erf(x), NaN in NaN out", () => {
    expect(erf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(erf(Number.NEGATIVE_INFINITY)).toBe(-1);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(30)).toBe(0); // below the smallest normal double: flushed to 0 from 26.543
    for (const x of [0.2, 0.9, 2.7, 5.5]) expect(erf(-x)).toBe(-erf(x));
    expect(erf(Number.NaN)).toBeNaN();
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it("Φ′ = φ: central differences of Φ match the density", () => {
    for (const z of [-6, -2.5, -0.3, 0, 0.7, 3]) {
      const h = 1e-5;
      const fd = (normalCdf(z + h) - normalCdf(z - h)) / (2 * h);
      expect(Math.abs(fd - normalPdf(z)) / normalPdf(z)).toBeLessThan(1e-8);
    }
  });
});
