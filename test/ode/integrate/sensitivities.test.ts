import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/ode/integrate/index.js";
import type { SensitivitySystem } from "../../../src/ode/types.js";
import { robertson } from "./systems.js";

// Nonlinear sensitivities (the RODAS stages use the exact augmented Jacobian with the second
// derivatives of f) against central differences of re-integration at tight tolerance.
const K = [0.04, 1e4, 3e7];
const times = Float64Array.from([0, 0.01, 0.1, 1, 10]);
const y0 = Float64Array.from([1, 0, 0]);
const tight = { rtol: 1e-12, atol: 1e-20 } as const;

function statesAt(k: number[]): Float64Array {
  return integrate(robertson(k[0], k[1], k[2]), { t0: 0, y0, times, solver: "rodas", ...tight })
    .states;
}

/** Fourth-order central differences (step 1e-3 relative): truncation ~1e-12, noise ~1e-9. */
const cache = new Map<number, Float64Array>();
function differences(l: number): Float64Array {
  const hit = cache.get(l);
  if (hit) return hit;
  const h = K[l]! * 1e-3;
  const at = (d: number) => statesAt(K.map((v, j) => (j === l ? v + d : v)));
  const [p2, p1, m1, m2] = [at(2 * h), at(h), at(-h), at(-2 * h)];
  const d = p1.map((_, m) => (-p2[m]! + 8 * p1[m]! - 8 * m1[m]! + m2[m]!) / (12 * h));
  cache.set(l, d);
  return d;
}

function compare(
  system: SensitivitySystem,
  solver: "dopri5" | "rodas" | "auto",
): { worst: number; switchedAt: number | null } {
  const r = integrate(system, { t0: 0, y0, S0: new Float64Array(9), times, solver, ...tight });
  let worst = 0;
  K.forEach((_, l) => {
    const fd = differences(l);
    for (let m = 0; m < times.length * 3; m++) {
      // relative to the largest entry of that sensitivity column at that time
      const at = m - (m % 3);
      const scale = Math.max(Math.abs(fd[at]!), Math.abs(fd[at + 1]!), Math.abs(fd[at + 2]!));
      if (scale === 0) continue; // t = 0: every sensitivity is exactly zero
      worst = Math.max(worst, Math.abs(r.sensitivities![m * 3 + l]! - fd[m]!) / scale);
    }
  });
  return { worst, switchedAt: r.stats.switchedAt };
}

describe("integrate: Robertson sensitivities against re-integration", () => {
  it("rodas matches central differences to 1e-6", () => {
    expect(compare(robertson(), "rodas").worst).toBeLessThan(1e-6);
  });
  it("auto (dopri5 then rodas) matches central differences to 1e-6", () => {
    const { worst, switchedAt } = compare(robertson(), "auto");
    expect(worst).toBeLessThan(1e-6);
    expect(switchedAt).toBeGreaterThan(0);
  });
});
