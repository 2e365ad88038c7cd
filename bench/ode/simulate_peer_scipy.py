"""scipy side of the ODE simulation benchmark (its own process).
  python3 bench/ode/simulate_peer_scipy.py SPEC.json METHOD MIN_RUNS MIN_MS
METHOD is LSODA or Radau. Writes one JSON object to stdout.

What a scipy user writes: a numpy right-hand side and an analytic Jacobian. scipy has no
sensitivity solver, so sensitivities are the augmented system [x; S] with dS/dt = J S + P,
integrated together (same error control as biograd: every component in the norm), with the
block-diagonal Jacobian (J on every block) for the Newton iterations (CVODES' simultaneous-corrector
approximation; the exact off-diagonal blocks need second derivatives).
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp


def robertson(p):
    k1, k2, k3 = p["k"]

    def f(x):
        a, b, c = k1 * x[0], k2 * x[1] * x[2], k3 * x[1] ** 2
        return np.array([-a + b, a - b - c, c])

    def jac(x):
        return np.array([
            [-k1, k2 * x[2], k2 * x[1]],
            [k1, -k2 * x[2] - 2 * k3 * x[1], -k2 * x[1]],
            [0.0, 2 * k3 * x[1], 0.0],
        ])

    def pjac(x):
        a, b, c = x[0], x[1] * x[2], x[1] ** 2
        return np.array([[-a, b, 0.0], [a, -b, -c], [0.0, 0.0, c]])

    return 3, 3, f, jac, pjac


def chain(p):
    n, kf, kb, kn = p["n"], np.array(p["kf"]), np.array(p["kb"]), p["kn"]
    a, b, c = p["nl"]
    sp = p["sensParams"]
    idx = np.arange(n - 1)
    base = np.zeros((n, n))
    base[idx, idx] -= kf
    base[idx, idx + 1] += kb
    base[idx + 1, idx] += kf
    base[idx + 1, idx + 1] -= kb

    def f(x):
        flux = kf * x[:-1] - kb * x[1:]
        dx = np.zeros(n)
        dx[:-1] -= flux
        dx[1:] += flux
        r = kn * x[a] * x[b]
        dx[a] -= r
        dx[b] -= r
        dx[c] += r
        return dx

    def jac(x):
        J = base.copy()
        for row, sign in ((a, -1), (b, -1), (c, 1)):
            J[row, a] += sign * kn * x[b]
            J[row, b] += sign * kn * x[a]
        return J

    def pjac(x):
        P = np.zeros((n, len(sp)))
        for l, (kind, i) in enumerate(sp):
            if kind == "kf":
                P[i, l] -= x[i]
                P[i + 1, l] += x[i]
            elif kind == "kb":
                P[i, l] += x[i + 1]
                P[i + 1, l] -= x[i + 1]
            else:
                r = x[a] * x[b]
                P[a, l] -= r
                P[b, l] -= r
                P[c, l] += r
        return P

    return n, len(sp), f, jac, pjac


def problem(p):
    n, npar, f, jac, pjac = robertson(p) if p["model"] == "robertson" else chain(p)
    y0 = np.array(p["y0"], dtype=float)
    if not p["sens"]:
        return y0, (lambda t, x: f(x)), (lambda t, x: jac(x)), n, 0
    z0 = np.concatenate([y0, np.zeros(n * npar)])

    def F(t, z):
        x = z[:n]
        S = z[n:].reshape(n, npar)
        J = jac(x)
        return np.concatenate([f(x), (J @ S + pjac(x)).ravel()])

    # z = [x; S.ravel()] with S row-major (state, parameter): the block of S is kron(J, I_np).
    def JAC_rowmajor(t, z):
        J = jac(z[:n])
        M = np.zeros((n * (npar + 1), n * (npar + 1)))
        M[:n, :n] = J
        M[n:, n:] = np.kron(J, np.eye(npar))
        return M

    return z0, F, JAC_rowmajor, n, npar


def main():
    spec_file, method, min_runs, min_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    with open(spec_file) as fh:
        problems = json.load(fh)
    out = {}
    for p in problems:
        z0, F, JAC, n, npar = problem(p)
        times = np.array(p["times"])

        def run():
            return solve_ivp(F, (times[0], times[-1]), z0, method=method, t_eval=times, jac=JAC,
                             rtol=p["rtol"], atol=p["atol"])

        sol = run()  # warm-up
        ms = []
        started = time.perf_counter()
        while len(ms) < min_runs or (time.perf_counter() - started) * 1000 < min_ms:
            t = time.perf_counter()
            sol = run()
            ms.append((time.perf_counter() - t) * 1000)
        last = sol.y[:, -1]
        out[p["name"]] = {
            "ms": ms,
            "success": bool(sol.success),
            "message": sol.message,
            "nfev": int(sol.nfev),
            "njev": int(sol.njev),
            "final": [float(v) for v in last[:n]],
            "finalSens": [float(v) for v in last[n:]] if npar else None,
        }
    print(json.dumps({"scipy": scipy.__version__, "method": method, "problems": out}))


main()
