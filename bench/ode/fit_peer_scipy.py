"""scipy peer of bench/ode/fit-bench.mjs: Lotka-Volterra fitted the way a scipy user would
(solve_ivp, rtol 1e-8 / atol 1e-10, least_squares with its 2-point Jacobian, bounds >= 0;
far starts capped at 1400 residual evaluations, ~200 iterations, as biograd and R are).
argv: STARTS.json [BUDGET_S] [PER_START_S]: far starts begin only while the peer has run
< BUDGET_S seconds (default 480; the rest are "not run"), and one far start stops after
PER_START_S seconds (default 60; "time cap": some far starts make LSODA crawl for tens of
minutes in Python callbacks), so the benchmark ends in bounded time.
Prints one JSON line: time per fit from the reasonable start (best of 3) and the RSS from each
far start (null when the fit raised, "not run" past the budget)."""
import json
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

starts = json.load(open(sys.argv[1]))
d = np.genfromtxt("examples/ode/lotka-volterra.csv", delimiter=",", names=True)
t, Y = d["t"], np.stack([d["prey"], d["predator"]], axis=1)
present = ~np.isnan(Y)
NAMES = ["alpha", "beta", "delta", "gamma", "x0", "y0"]


deadline = [float("inf")]


class TimeCap(Exception):
    pass


def residuals(p, method):
    a, b, dl, g, x0, y0 = p

    def rhs(_t, y):
        if time.perf_counter() > deadline[0]:  # one solve can crawl for minutes: check inside
            raise TimeCap()
        return [a * y[0] - b * y[0] * y[1], dl * y[0] * y[1] - g * y[1]]

    sol = solve_ivp(rhs, (0, t[-1]), [x0, y0], t_eval=t, method=method, rtol=1e-8, atol=1e-10)
    if not sol.success or sol.y.shape[1] != t.size:
        return np.full(int(present.sum()), 1e10)
    return (sol.y.T - Y)[present]


def fit(start, method="LSODA", max_nfev=None):
    x0 = np.array([start[n] for n in NAMES])
    r = least_squares(residuals, x0, args=(method,), bounds=(0, np.inf), max_nfev=max_nfev)
    return float(2 * r.cost)


out = {}
for key, method in (("fit", "LSODA"), ("fitRk45", "RK45")):
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        rss = fit(starts["reasonable"], method)
        ms = (time.perf_counter() - t0) * 1000
        best = ms if best is None else min(best, ms)
    out[key] = {"ms": best, "rss": rss}
budget = float(sys.argv[2]) if len(sys.argv) > 2 else 480.0
per_start = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
began = time.perf_counter()
far = []
for s in starts["far"]:
    if time.perf_counter() - began > budget:
        far.append("not run")
        continue
    deadline[0] = time.perf_counter() + per_start
    try:
        far.append(fit(s, max_nfev=200 * 7))
    except TimeCap:
        far.append("time cap")
    except Exception:
        far.append(None)
    deadline[0] = float("inf")
out["far"] = far
print(json.dumps(out))
