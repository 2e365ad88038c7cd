"""scipy side of the curve-fitting benchmark, run as its own process by curve-run.mjs.

Usage: python3 bench/curve_peer_scipy.py bench/out/curve-problems.json  -> JSON on stdout.

Each model is written by hand with numpy (vectorised) and its analytic Jacobian, the same
functions as test/helpers/nist.ts. Three modes of scipy.optimize.curve_fit (method "lm",
MINPACK), each timed around the whole curve_fit() call:
  jac       jac= the analytic Jacobian, every other setting at its default
            (ftol = xtol = 1.49e-8, gtol = 0, factor = 100, maxfev = 100 (p + 1));
  fd        the default call: forward differences (MINPACK lmdif, maxfev = 200 (p + 1));
  jacTight  jac= plus biograd's LM settings (ftol 1e-14, xtol 1e-10, gtol 1e-12, factor 1,
            maxfev 5000), i.e. the same algorithm asked for the same precision.
"""

import json
import statistics
import sys
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import curve_fit


def exp_rise(x, b1, b2):
    return b1 * (1 - np.exp(-b2 * x))


def exp_rise_jac(x, b1, b2):
    e = np.exp(-b2 * x)
    return np.column_stack((1 - e, b1 * x * e))


def mm(x, vm, k):
    return vm * x / (k + x)


def mm_jac(x, vm, k):
    d = k + x
    return np.column_stack((x / d, -vm * x / (d * d)))


def logistic(x, asym, xmid, scal):
    return asym / (1 + np.exp((xmid - np.log(x)) / scal))


def logistic_jac(x, asym, xmid, scal):
    t = (xmid - np.log(x)) / scal
    e = np.exp(t)
    u = 1 + e
    g = asym * e / (u * u)  # -d f / d t
    return np.column_stack((1 / u, -g / scal, g * t / scal))


def fpl(x, a, b, xmid, scal):
    return a + (b - a) / (1 + np.exp((xmid - np.log(x)) / scal))


def fpl_jac(x, a, b, xmid, scal):
    t = (xmid - np.log(x)) / scal
    e = np.exp(t)
    u = 1 + e
    g = (b - a) * e / (u * u)
    return np.column_stack((1 - 1 / u, 1 / u, -g / scal, g * t / scal))


def thurber(x, b1, b2, b3, b4, b5, b6, b7):
    x2 = x * x
    x3 = x2 * x
    return (b1 + b2 * x + b3 * x2 + b4 * x3) / (1 + b5 * x + b6 * x2 + b7 * x3)


def thurber_jac(x, b1, b2, b3, b4, b5, b6, b7):
    x2 = x * x
    x3 = x2 * x
    den = 1 + b5 * x + b6 * x2 + b7 * x3
    f = (b1 + b2 * x + b3 * x2 + b4 * x3) / den
    return np.column_stack(
        (1 / den, x / den, x2 / den, x3 / den, -f * x / den, -f * x2 / den, -f * x3 / den)
    )


def mgh09(x, b1, b2, b3, b4):
    return b1 * (x * x + x * b2) / (x * x + x * b3 + b4)


def mgh09_jac(x, b1, b2, b3, b4):
    num = x * x + x * b2
    den = x * x + x * b3 + b4
    f = b1 * num / den
    return np.column_stack((num / den, b1 * x / den, -f * x / den, -f / den))


def rat43(x, b1, b2, b3, b4):
    return b1 / (1 + np.exp(b2 - b3 * x)) ** (1 / b4)


def rat43_jac(x, b1, b2, b3, b4):
    e = np.exp(b2 - b3 * x)
    u = 1 + e
    base = u ** (-1 / b4)
    f = b1 * base
    return np.column_stack(
        (base, -f * e / (b4 * u), f * e * x / (b4 * u), f * np.log(u) / (b4 * b4))
    )


def eckerle4(x, b1, b2, b3):
    return (b1 / b2) * np.exp(-0.5 * ((x - b3) / b2) ** 2)


def eckerle4_jac(x, b1, b2, b3):
    t = (x - b3) / b2
    e = np.exp(-0.5 * t * t)
    f = (b1 / b2) * e
    return np.column_stack((e / b2, f * (t * t - 1) / b2, f * t / b2))


MODELS = {
    "mm": (mm, mm_jac),
    "logistic": (logistic, logistic_jac),
    "fpl": (fpl, fpl_jac),
    "Misra1a": (exp_rise, exp_rise_jac),
    "BoxBOD": (exp_rise, exp_rise_jac),
    "Thurber": (thurber, thurber_jac),
    "MGH09": (mgh09, mgh09_jac),
    "Rat43": (rat43, rat43_jac),
    "Eckerle4": (eckerle4, eckerle4_jac),
}

TIGHT = {"ftol": 1e-14, "xtol": 1e-10, "gtol": 1e-12, "factor": 1, "maxfev": 5000}


def check_jacobian(name, f, jac, x, p0):
    """Central differences at the start: a wrong hand-written Jacobian would skew the race."""
    p0 = np.asarray(p0, dtype=float)
    j = jac(x, *p0)
    for k in range(len(p0)):
        h = 1e-6 * max(abs(p0[k]), 1e-3)
        up, dn = p0.copy(), p0.copy()
        up[k] += h
        dn[k] -= h
        num = (f(x, *up) - f(x, *dn)) / (2 * h)
        err = np.max(np.abs(num - j[:, k])) / max(np.max(np.abs(num)), 1e-300)
        if err > 1e-5:
            print(f"scipy peer: {name} d/d{k}: Jacobian off by {err:.1e}", file=sys.stderr)


def fit_once(f, jac, x, y, p0, mode):
    """One curve_fit() call; failures (RuntimeError etc.) are results, not crashes."""
    kwargs = {} if mode == "fd" else {"jac": jac}
    if mode == "jacTight":
        kwargs.update(TIGHT)
    try:
        popt, _pcov, info, mesg, ier = curve_fit(f, x, y, p0=p0, full_output=True, **kwargs)
        return {
            "converged": ier in (1, 2, 3, 4),
            "estimates": [float(v) if np.isfinite(v) else None for v in popt],
            "rss": float(np.sum(info["fvec"] ** 2)),
            "nfev": int(info["nfev"]),
            "njev": int(info.get("njev", 0)),
            "stop": f"ier={ier}: {mesg}",
        }
    except Exception as e:  # curve_fit raises RuntimeError when MINPACK gives up
        return {"converged": False, "estimates": None, "error": f"{type(e).__name__}: {e}"}


def repeat(fn, min_count, min_ms, max_count):
    ms, last = [], None
    t0 = time.perf_counter()
    while len(ms) < max_count and (
        len(ms) < min_count or (time.perf_counter() - t0) * 1e3 < min_ms
    ):
        t = time.perf_counter()
        last = fn()
        ms.append((time.perf_counter() - t) * 1e3)
    return ms, last


def main():
    meta = json.load(open(sys.argv[1]))
    pol = meta["policy"]
    warnings.simplefilter("ignore")  # OptimizeWarning (covariance) and overflow in exp
    np.seterr(all="ignore")
    results = []
    for p in meta["problems"]:
        data = np.loadtxt(p["dataPath"], delimiter=",", skiprows=1, ndmin=2)
        x, y = data[:, 0].copy(), data[:, 1].copy()
        f, jac = MODELS[p["model"]]
        check_jacobian(p["id"], f, jac, x, p["start"])
        modes = {}
        for mode in ("jac", "fd", "jacTight"):
            fn = lambda: fit_once(f, jac, x, y, p["start"], mode)  # noqa: E731
            repeat(fn, pol["warmupFits"], pol["warmupMs"], pol["maxFits"])
            ms, last = repeat(fn, pol["minFits"], pol["minMs"], pol["maxFits"])
            modes[mode] = {
                "medianMs": statistics.median(ms),
                "minMs": min(ms),
                "fits": len(ms),
                "sum": sum(ms),
                **last,
            }
        results.append({"id": p["id"], "modes": modes})
    print(
        json.dumps(
            {
                "peer": "scipy",
                "versions": {
                    "python": sys.version.split()[0],
                    "numpy": np.__version__,
                    "scipy": scipy.__version__,
                },
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
