import { describe, expect, it } from "vitest";
import { sigmoid } from "../../src/nn/layers/activation-kernels.js";
import {
  ACTIVATIONS,
  activation,
  activationBackward,
  activationForward,
} from "../../src/nn/layers/activations.js";
import { awayFromZero, numericGradient, randomBuffer, relativeError } from "./reference.js";

/** L(z) = Σ c_i f(z_i): its gradient is the backward pass with ∂L/∂y = c. */
function checkGradient(
  name: (typeof ACTIVATIONS)[number],
  count: number,
  seed: number,
  slope?: number,
) {
  const act = activation(name, slope === undefined ? {} : { slope });
  const z = awayFromZero(randomBuffer(count, seed, 2.5));
  const c = randomBuffer(count, seed + 1);
  const y = new Float64Array(count);
  const loss = (zz: Float64Array) => {
    activationForward(act, zz, y, count);
    return y.reduce((s, v, i) => s + c[i]! * v, 0);
  };
  loss(z);
  const dz = Float64Array.from(c); // in place: dz and dy share a buffer
  activationBackward(act, z, y, dz, dz, count);
  return relativeError(dz, numericGradient(loss, z));
}

describe("activations: backward matches central differences (rel. error < 1e-6)", () => {
  for (const name of ACTIVATIONS) {
    for (const count of [1, 7, 64]) {
      it(`${name}, ${count} entries`, () => {
        expect(checkGradient(name, count, count * 31 + name.length)).toBeLessThan(1e-6);
      });
    }
  }
  it("leaky-relu with slope 0.2", () =>
    expect(checkGradient("leaky-relu", 9, 5, 0.2)).toBeLessThan(1e-6));
});

describe("activation values", () => {
  const run = (name: (typeof ACTIVATIONS)[number], values: number[], slope?: number) => {
    const z = Float64Array.from(values);
    const y = new Float64Array(z.length);
    activationForward(activation(name, slope === undefined ? {} : { slope }), z, y, z.length);
    return Array.from(y);
  };

  it("match their definitions at known points", () => {
    expect(run("relu", [-2, 0, 3])).toEqual([0, 0, 3]);
    expect(run("leaky-relu", [-2, 3])).toEqual([-0.02, 3]);
    expect(run("leaky-relu", [-2, 3], 0.2)).toEqual([-0.4, 3]);
    expect(run("tanh", [0.5])[0]).toBe(Math.tanh(0.5));
    expect(run("sigmoid", [0])[0]).toBe(0.5);
    // Exact GELU: z·Φ(z); Φ(1) = 0.8413447460685429 (mpmath). The tanh approximation
    // would give 0.8411919906082768 — 1.5e-4 off.
    expect(run("gelu", [1])[0]).toBeCloseTo(0.8413447460685429, 15);
    expect(run("gelu", [-1])[0]).toBeCloseTo(-0.15865525393145705, 15);
    expect(run("softplus", [0])[0]).toBe(Math.LN2);
    expect(run("identity", [-1.5, 2])).toEqual([-1.5, 2]);
  });

  it("are finite and saturate correctly at extreme inputs (stable forms)", () => {
    expect(run("sigmoid", [-800, 800])).toEqual([0, 1]);
    expect(sigmoid(-745)).toBeGreaterThan(0); // e^z/(1 + e^z), not 1/(1 + e^800) = 0 by overflow
    expect(run("softplus", [800, -800, 40])).toEqual([800, 0, 40 + Math.log1p(Math.exp(-40))]);
    expect(run("gelu", [-40, 40])).toEqual([-0, 40]);
    expect(run("tanh", [-400, 400])).toEqual([-1, 1]);
  });

  it("propagate NaN (relu(NaN) is NaN, not 0: a diverging network is never hidden)", () => {
    for (const name of ACTIVATIONS) expect(run(name, [Number.NaN])[0]).toBeNaN();
  });

  it("check their options", () => {
    expect(() => activation("relu", { slope: 0.1 })).toThrow(/only leaky-relu has/);
    expect(() => activation("swish" as never)).toThrow(/activation: name must be one of relu/);
    expect(() => activation("leaky-relu", { slope: Number.NaN })).toThrow(
      /slope must be a finite number/,
    );
  });
});
