"""PyTorch (CPU, float64) side of the "large" workload, run as its own process by run.mjs.

Usage: python3 bench/peer_torch.py bench/out/meta.json  -> one JSON object on stdout.
Same algorithm as peer_numpy.large_loop, written with tensors; 2 threads (the machine's cores).
"""

import json
import re
import resource
import statistics
import sys
import time

import torch


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load(path, count):
    # Straight from the file into a tensor: no numpy round trip (Debian's torch 1.13 and a
    # pip numpy 2 do not share an ABI) and no second copy inflating the peak RSS.
    return torch.from_file(path, shared=False, size=count, dtype=torch.float64)


def large_loop(X, y, start, lr, max_norm, epochs):
    p = X.shape[1]
    w = torch.tensor(start[:p], dtype=torch.float64)
    b = torch.tensor(start[p], dtype=torch.float64)
    n = y.numel()
    Xt = X.t()
    for _ in range(epochs):
        r = torch.mv(X, w) + b - y
        loss = torch.dot(r, r) / n  # noqa: F841  (biograd's step computes it too)
        g = 2 * torch.mv(Xt, r) / n
        gb = 2 * r.sum() / n
        norm = torch.sqrt(torch.dot(g, g) + gb * gb)
        if norm > max_norm:  # same rule as biograd: scale by c/N, no epsilon
            s = max_norm / norm
            g = g * s
            gb = gb * s
        w = w - lr * g
        b = b - lr * gb
    r = torch.mv(X, w) + b - y
    return w, b, float(torch.dot(r, r) / n)


def main():
    meta = json.load(open(sys.argv[1]))
    L, R = meta["large"], meta["repeats"]
    torch.set_num_threads(2)
    X = load(L["xPath"], L["n"] * L["p"]).reshape(L["n"], L["p"])
    y = load(L["yPath"], L["n"])
    after_load = peak_mb()
    ms, out = [], None
    with torch.no_grad():
        for _ in range(R["large"]):
            t0 = time.perf_counter()
            out = large_loop(X, y, L["start"], L["lr"], L["maxNorm"], L["epochs"])
            ms.append((time.perf_counter() - t0) * 1e3)
    w, b, final = out
    blas = re.findall(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    print(
        json.dumps(
            {
                "peer": "torch",
                "versions": {"python": sys.version.split()[0], "torch": torch.__version__},
                "blas": {"build": f"BLAS_INFO={blas[0]}" if blas else "unknown", "threads": torch.get_num_threads()},
                "large": {
                    "ms": ms,
                    "medianMs": statistics.median(ms),
                    "params": [*w.tolist(), float(b)],
                    "finalLoss": final,
                },
                "memory": {"afterLoadMB": after_load, "peakMB": peak_mb()},
            }
        )
    )


if __name__ == "__main__":
    main()
