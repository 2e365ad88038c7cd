"""scipy side of the grouped-fit benchmark (bench/groups/run.mjs runs it as its own process).

Usage: python3 bench/groups/peer_scipy.py CURVES.csv TRUTH.csv [--limit=N] [--modes=fd,jac]
  -> JSON on stdout.

Reads the CSV once (numpy), then loops over the compounds calling scipy.optimize.curve_fit
(method "lm", MINPACK) on the same 4PL as biograd's `4pl`, from the data-based guess a scipy
user writes (bottom = min y, top = max y, logEC50 = x where the replicate means cross the
half-way level, else the median x; hill = -1 for a falling curve, else 1):
  fd    the default call: forward differences (lmdif), ftol = xtol = 1.49e-8, gtol = 0,
        factor = 100: the timed peer; nfev counts every call, Jacobian columns included;
  jac   jac= the analytic Jacobian (lmder), same tolerances: njev = Jacobian evaluations,
        the count comparable with biograd's iterations + 1 (not timed against biograd).
A fit counts as converged when curve_fit returns (ier in 1..4) with finite estimates.
"""

import json
import resource
import sys
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import curve_fit

LN10 = np.log(10.0)


def fpl(x, bottom, top, logec50, hill):
    return bottom + (top - bottom) / (1 + 10 ** ((logec50 - x) * hill))


def fpl_jac(x, bottom, top, logec50, hill):
    e = 10 ** ((logec50 - x) * hill)
    u = 1 + e
    g = (top - bottom) * LN10 * e / (u * u)
    return np.column_stack((1 - 1 / u, 1 / u, -g * hill, -g * (logec50 - x)))


def guess(x, y):
    xs = np.unique(x)
    means = np.array([y[x == v].mean() for v in xs])
    lo, hi = means.min(), means.max()
    half = (lo + hi) / 2
    mid = float(np.median(x))
    for i in range(len(xs) - 1):
        a, b = means[i] - half, means[i + 1] - half
        if a == 0 or a * b < 0:
            mid = xs[i] + (xs[i + 1] - xs[i]) * a / (a - b)
            break
    hill = -1.0 if means[-1] < means[0] else 1.0
    return [y.min(), y.max(), mid, hill]


def main():
    curves, truth_path = sys.argv[1], sys.argv[2]
    limit = None
    modes = ("fd", "jac")
    for a in sys.argv[3:]:
        if a.startswith("--limit="):
            limit = int(a.split("=")[1])
        if a.startswith("--modes="):
            modes = tuple(a.split("=")[1].split(","))
    t_read = time.perf_counter()
    ids = np.loadtxt(curves, delimiter=",", skiprows=1, usecols=0, dtype=str)
    xy = np.loadtxt(curves, delimiter=",", skiprows=1, usecols=(1, 2))
    truth = np.loadtxt(truth_path, delimiter=",", skiprows=1, usecols=3)
    read_s = time.perf_counter() - t_read
    bounds = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
    groups = len(bounds) - 1 if limit is None else min(limit, len(bounds) - 1)
    out = {}
    for mode in modes:
        conv = 0
        counts = []
        dlog = []
        t0 = time.perf_counter()
        c0 = time.process_time()
        for g in range(groups):
            x = xy[bounds[g] : bounds[g + 1], 0]
            y = xy[bounds[g] : bounds[g + 1], 1]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if mode == "fd":
                        p, _, info, _, ier = curve_fit(fpl, x, y, p0=guess(x, y), full_output=True)
                        counts.append(info["nfev"])
                    else:
                        p, _, info, _, ier = curve_fit(
                            fpl, x, y, p0=guess(x, y), jac=fpl_jac, full_output=True
                        )
                        counts.append(info["njev"])
                ok = 1 <= ier <= 4 and np.all(np.isfinite(p))
            except RuntimeError:
                ok = False
            if ok:
                conv += 1
                dlog.append(abs(p[2] - truth[g]))
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        out[mode] = {
            "cpuSeconds": cpu,
            "curves": groups,
            "seconds": seconds,
            "curvesPerSecond": groups / seconds,
            "converged": conv,
            "medianCount": float(np.median(counts)),
            "medianAbsDeltaLogEC50": float(np.median(dlog)) if dlog else None,
        }
    out["readSeconds"] = read_s
    out["peakRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["versions"] = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
