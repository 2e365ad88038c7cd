"""numpy side of the benchmark, run as its own process by run.mjs.

Usage: python3 bench/peer_numpy.py bench/out/meta.json  -> one JSON object on stdout.
The loops below are the reference algorithms; keep them free of printing and extra work.
"""

import ctypes
import json
import resource
import statistics
import sys
import time

import numpy as np


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed(fn, repeats):
    ms, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        ms.append((time.perf_counter() - t0) * 1e3)
    return ms, out


def seed_loop(X, y, w0, b0, lr, clip, iterations, update_b):
    """The seed document's loop, minus its print()."""
    w = np.array([[w0]])
    b = b0
    n = len(X)
    loss = None
    for _ in range(iterations):
        y_pred = X * w + b
        loss = np.mean((y_pred - y) ** 2)
        grad_w = 2 * X.T.dot(y_pred - y) / n
        grad_b = 2 * np.sum(y_pred - y) / n
        grad_w = np.clip(grad_w, -clip, clip)
        grad_b = np.clip(grad_b, -clip, clip)
        w = w - lr * grad_w
        if update_b:
            b = b - lr * grad_b
    return float(w[0, 0]), float(b), float(loss)


def large_loop(X, y, start, lr, max_norm, epochs):
    """Full-batch gradient descent with a global-norm clip, vectorised; then the final loss
    at the returned parameters, because biograd's train() computes that too."""
    p = X.shape[1]
    w = np.array(start[:p], dtype=np.float64)
    b = float(start[p])
    n = len(y)
    for _ in range(epochs):
        r = X @ w + b - y
        loss = r @ r / n  # noqa: F841  (computed because biograd's step computes it)
        g = 2 * (X.T @ r) / n
        gb = 2 * r.sum() / n
        norm = np.sqrt(g @ g + gb * gb)
        if norm > max_norm:
            s = max_norm / norm
            g = g * s
            gb = gb * s
        w = w - lr * g
        b = b - lr * gb
    r = X @ w + b - y
    return w, b, float(r @ r / n)


def blas_info():
    """Which BLAS numpy uses and how it is configured. threadpoolctl when installed; else
    the build config plus a direct query of a loaded OpenBLAS (core type, threads)."""
    try:
        import threadpoolctl

        return {"threadpoolctl": threadpoolctl.threadpool_info()}
    except ImportError:
        pass
    info = {}
    try:
        b = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["build"] = f"{b.get('name')} {b.get('version')}"
    except Exception as e:  # numpy < 1.25 has no mode="dicts"
        info["build"] = f"unknown ({e})"
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    for path in sorted(libs):
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                try:
                    cfg = getattr(lib, f"{prefix}_get_config{suffix}")
                    core = getattr(lib, f"{prefix}_get_corename{suffix}")
                    threads = getattr(lib, f"{prefix}_get_num_threads{suffix}")
                except AttributeError:
                    continue
                cfg.restype = core.restype = ctypes.c_char_p
                info["openblas"] = {
                    "config": cfg().decode(),
                    "core": core().decode(),
                    "threads": threads(),
                }
                return info
    return info


def main():
    meta = json.load(open(sys.argv[1]))
    S, L, R = meta["seed"], meta["large"], meta["repeats"]
    sx = np.fromfile(S["xPath"], dtype="<f8").reshape(-1, 1)  # the seed's (n, 1) column
    sy = np.fromfile(S["yPath"], dtype="<f8").reshape(-1, 1)
    X = np.fromfile(L["xPath"], dtype="<f8").reshape(L["n"], L["p"])
    y = np.fromfile(L["yPath"], dtype="<f8")
    after_load = peak_mb()

    seed = {}
    for variant, update_b in (("full", True), ("faithful", False)):
        args = (sx, sy, *S["start"], S["lr"], S["clip"], S["iterations"], update_b)
        ms, (w, b, loss) = timed(lambda: seed_loop(*args), R["seedPeer"])
        seed[variant] = {
            "ms": ms,
            "medianMs": statistics.median(ms),
            "w": w,
            "b": b,
            "lastLoss": loss,
        }

    args = (X, y, L["start"], L["lr"], L["maxNorm"], L["epochs"])
    ms, (w, b, final) = timed(lambda: large_loop(*args), R["large"])
    print(
        json.dumps(
            {
                "peer": "numpy",
                "versions": {"python": sys.version.split()[0], "numpy": np.__version__},
                "blas": blas_info(),
                "seed": seed,
                "large": {
                    "ms": ms,
                    "medianMs": statistics.median(ms),
                    "params": [*w.tolist(), b],
                    "finalLoss": final,
                },
                "memory": {"afterLoadMB": after_load, "peakMB": peak_mb()},
            }
        )
    )


if __name__ == "__main__":
    main()
