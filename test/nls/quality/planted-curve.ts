import { normals } from "../../helpers/seeded.js";

/**
 * A seeded triplicate 4PL inhibition curve (8 log concentrations, noise sd 3) with `planted`
 * points pushed off it by ±(base + spread·|z|) — a few sd to a few dozen, depending on the
 * test's need.
 */
export function plantedCurve(
  seed: number,
  planted: number,
  push: { base: number; spread: number },
) {
  const z = normals(seed);
  const x = Array.from({ length: 24 }, (_, i) => -9 + 0.5 * Math.floor(i / 3));
  const mid = -7.25 + 0.4 * z();
  const hill = -(0.6 + Math.abs(z()));
  const y = x.map((v) => 3 + 95 / (1 + 10 ** ((mid - v) * hill)) + 3 * z());
  for (let k = 0; k < planted; k++)
    y[(seed * 5 + k * 7) % 24]! += (z() > 0 ? 1 : -1) * (push.base + push.spread * Math.abs(z()));
  return { x, y };
}
