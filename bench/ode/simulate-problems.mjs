// Problems of the ODE simulation benchmark, shared by every peer through one JSON spec:
// Robertson's kinetics to t = 4e10, and a 20-state stiff network — a chain of reversible
// reactions X_i ⇌ X_{i+1} with rates spanning 1e-3..1e3 plus one nonlinear reaction
// X_5 + X_15 → X_10 — each with and without forward sensitivities.

const logspace = (a, b, count) =>
  Array.from({ length: count }, (_, k) => 10 ** (a + ((b - a) * k) / (count - 1)));

/**
 * The 20-state chain: forward rates 1e-3..1e3 (log-spaced, in a shuffled order along the chain
 * so fast and slow steps alternate), backward rates half the forward ones (equilibrium
 * constant 2), so mass moves along the chain through slow and fast equilibria.
 */
export function chainSpec() {
  const n = 20;
  const kf = Array.from(
    { length: n - 1 },
    (_, i) => 10 ** (-3 + (6 * ((7 * i) % (n - 1))) / (n - 2)),
  );
  const kb = kf.map((k) => 0.5 * k);
  // Parameters for sensitivities: [kind, reaction index (0-based)]
  const sensParams = [
    ["kf", 0],
    ["kf", 6],
    ["kf", 12],
    ["kf", 18],
    ["kb", 0],
    ["kb", 6],
    ["kb", 12],
    ["kn", 0],
  ];
  return { n, kf, kb, kn: 10, nl: [4, 14, 9], sensParams };
}

export function spec() {
  const rober = { k: [0.04, 1e4, 3e7] };
  const chain = chainSpec();
  const base = { rtol: 1e-6, atol: 1e-10 };
  return [
    {
      name: "robertson",
      model: "robertson",
      ...rober,
      ...base,
      sens: false,
      y0: [1, 0, 0],
      times: [0, ...logspace(-5, Math.log10(4e10), 60)],
    },
    {
      name: "robertson+sens",
      model: "robertson",
      ...rober,
      ...base,
      sens: true,
      y0: [1, 0, 0],
      times: [0, ...logspace(-5, Math.log10(4e10), 60)],
    },
    {
      name: "chain20",
      model: "chain",
      ...chain,
      ...base,
      sens: false,
      y0: [1, ...Array(19).fill(0)],
      times: [0, ...logspace(-3, 3, 60)],
    },
    {
      name: "chain20+sens",
      model: "chain",
      ...chain,
      ...base,
      sens: true,
      y0: [1, ...Array(19).fill(0)],
      times: [0, ...logspace(-3, 3, 60)],
    },
  ];
}

/** Robertson as a biograd SensitivitySystem, θ = (k1, k2, k3). */
export function robertsonSystem([k1, k2, k3]) {
  return {
    n: 3,
    np: 3,
    rhs(_t, y, dy) {
      const a = k1 * y[0];
      const b = k2 * y[1] * y[2];
      const c = k3 * y[1] * y[1];
      dy[0] = -a + b;
      dy[1] = a - b - c;
      dy[2] = c;
    },
    jacobian(_t, y, J) {
      J[0] = -k1;
      J[1] = k2 * y[2];
      J[2] = k2 * y[1];
      J[3] = k1;
      J[4] = -k2 * y[2] - 2 * k3 * y[1];
      J[5] = -k2 * y[1];
      J[6] = 0;
      J[7] = 2 * k3 * y[1];
      J[8] = 0;
    },
    paramJacobian(_t, y, P) {
      const a = y[0];
      const b = y[1] * y[2];
      const c = y[1] * y[1];
      P[0] = -a;
      P[1] = b;
      P[2] = 0;
      P[3] = a;
      P[4] = -b;
      P[5] = -c;
      P[6] = 0;
      P[7] = 0;
      P[8] = c;
    },
    sensitivityJacobianTimesVector(_t, y, S, v, out) {
      for (let l = 0; l < 3; l++) {
        const s2 = S[3 + l];
        const s3 = S[6 + l];
        const d23 = k2 * (v[1] * s3 + v[2] * s2);
        const d22 = 2 * k3 * v[1] * s2;
        const m = y[2] * v[1] + y[1] * v[2];
        const m1 = l === 0 ? -v[0] : l === 1 ? m : 0;
        const m2 = l === 0 ? v[0] : l === 1 ? -m : -2 * y[1] * v[1];
        const m3 = l === 2 ? 2 * y[1] * v[1] : 0;
        out[l] = d23 + m1;
        out[3 + l] = -d23 - d22 + m2;
        out[6 + l] = d22 + m3;
      }
    },
  };
}

/**
 * The chain as a biograd SensitivitySystem over its sensParams, written the way generated
 * code looks (no allocation, no closures per call), as the model compiler will emit it.
 */
export function chainSystem({ n, kf, kb, kn, nl: [a, b, c], sensParams }) {
  const np = sensParams.length;
  const kind = Int8Array.from(sensParams, ([k]) => (k === "kf" ? 0 : k === "kb" ? 1 : 2));
  const at = Int32Array.from(sensParams, ([, i]) => i);
  return {
    n,
    np,
    rhs(_t, x, dx) {
      dx.fill(0);
      for (let i = 0; i < n - 1; i++) {
        const flux = kf[i] * x[i] - kb[i] * x[i + 1];
        dx[i] -= flux;
        dx[i + 1] += flux;
      }
      const r = kn * x[a] * x[b];
      dx[a] -= r;
      dx[b] -= r;
      dx[c] += r;
    },
    jacobian(_t, x, J) {
      J.fill(0);
      for (let i = 0; i < n - 1; i++) {
        J[i * n + i] -= kf[i];
        J[i * n + i + 1] += kb[i];
        J[(i + 1) * n + i] += kf[i];
        J[(i + 1) * n + i + 1] -= kb[i];
      }
      const ra = kn * x[b];
      const rb = kn * x[a];
      J[a * n + a] -= ra;
      J[a * n + b] -= rb;
      J[b * n + a] -= ra;
      J[b * n + b] -= rb;
      J[c * n + a] += ra;
      J[c * n + b] += rb;
    },
    paramJacobian(_t, x, P) {
      P.fill(0);
      for (let l = 0; l < np; l++) {
        const i = at[l];
        if (kind[l] === 0) {
          P[i * np + l] -= x[i];
          P[(i + 1) * np + l] += x[i];
        } else if (kind[l] === 1) {
          P[i * np + l] += x[i + 1];
          P[(i + 1) * np + l] -= x[i + 1];
        } else {
          const r = x[a] * x[b];
          P[a * np + l] -= r;
          P[b * np + l] -= r;
          P[c * np + l] += r;
        }
      }
    },
    sensitivityJacobianTimesVector(_t, x, S, v, out) {
      out.fill(0);
      for (let l = 0; l < np; l++) {
        // from the nonlinear reaction's Jacobian entries: kn·(v_b·S_a + v_a·S_b)
        const d = kn * (v[b] * S[a * np + l] + v[a] * S[b * np + l]);
        out[a * np + l] -= d;
        out[b * np + l] -= d;
        out[c * np + l] += d;
        const i = at[l];
        if (kind[l] === 0) {
          out[i * np + l] -= v[i];
          out[(i + 1) * np + l] += v[i];
        } else if (kind[l] === 1) {
          out[i * np + l] += v[i + 1];
          out[(i + 1) * np + l] -= v[i + 1];
        } else {
          const dr = x[b] * v[a] + x[a] * v[b];
          out[a * np + l] -= dr;
          out[b * np + l] -= dr;
          out[c * np + l] += dr;
        }
      }
    },
  };
}
