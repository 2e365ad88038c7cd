"""PyTorch (CPU) side of the MLP benchmark (issue 4), run as its own process by mlp-run.mjs.

Usage: /usr/bin/python3 bench/mlp_peer_torch.py bench/out/mlp-meta.json float64|float32
-> one JSON object on stdout.

The same training as biograd's train(): nn.Linear 500->256->64->1 with relu, MSE (mean),
torch.optim.Adam(lr 1e-3, eps 1e-8), torch.nn.utils.clip_grad_norm_(max_norm 1.0), batches of
128 from a fresh permutation every epoch (the last batch has 10,000 mod 128 = 16 rows), then
the full-data loss at the end (biograd's train() returns it too). Starts from the same weights
(mlp-start.f64, biograd's layout: W is in x out, so it is transposed into nn.Linear's out x in).
2 threads (torch.set_num_threads(2), the machine's cores).
"""

import ctypes
import json
import re
import resource
import sys
import time

import torch


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load(path, count):
    # Straight from the file (no numpy: Debian's torch and a pip numpy may not share an ABI).
    return torch.from_file(path, shared=False, size=count, dtype=torch.float64)


def blas_info():
    """Which BLAS this process really loaded (libtorch links libblas.so.3, resolved at run time)."""
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "blas" in line.split()[-1]})
    info = {"libraries": libs, "build": re.findall(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())}
    if any("openblas" in lib for lib in libs):
        ob = ctypes.CDLL("libopenblas.so.0")
        ob.openblas_get_corename.restype = ctypes.c_char_p
        info["openblasCore"] = ob.openblas_get_corename().decode()
        info["openblasThreads"] = ob.openblas_get_num_threads()
    return info


def build(widths, start, dtype):
    layers, at = [], 0
    for i in range(len(widths) - 1):
        fan_in, fan_out = widths[i], widths[i + 1]
        lin = torch.nn.Linear(fan_in, fan_out, dtype=dtype)
        with torch.no_grad():
            w = start[at : at + fan_in * fan_out].reshape(fan_in, fan_out)
            at += fan_in * fan_out
            lin.weight.copy_(w.t())
            lin.bias.copy_(start[at : at + fan_out])
            at += fan_out
        layers.append(lin)
        if i + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    assert at == start.numel()
    return torch.nn.Sequential(*layers)


def run(X, y, widths, start, W, epochs, dtype, gen):
    model = build(widths, start, dtype)
    opt = torch.optim.Adam(model.parameters(), lr=W["lr"], eps=1e-8)
    loss_fn = torch.nn.MSELoss()
    n, bs = X.shape[0], W["batchSize"]
    epoch_losses, clipped, steps = [], 0, 0
    t0 = time.perf_counter()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for s in range(0, n, bs):
            idx = perm[s : s + bs]
            xb, yb = X[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), W["maxNorm"])
            clipped += int(norm > W["maxNorm"])
            opt.step()
            total += float(loss) * idx.numel()
            steps += 1
        epoch_losses.append(total / n)
    loop_s = time.perf_counter() - t0
    with torch.no_grad():
        final = float(loss_fn(model(X), y))
    return {
        "ms": (time.perf_counter() - t0) * 1e3,
        "loopMs": loop_s * 1e3,
        "epochLosses": epoch_losses,
        "finalLoss": final,
        "steps": steps,
        "clipped": clipped,
    }


def main():
    meta = json.load(open(sys.argv[1]))
    dtype = {"float64": torch.float64, "float32": torch.float32}[sys.argv[2]]
    W = meta["workload"]
    torch.set_num_threads(2)
    widths = W["widths"]
    X = load(W["xPath"], W["rows"] * W["inputs"]).reshape(W["rows"], W["inputs"]).to(dtype)
    y = load(W["yPath"], W["rows"]).reshape(W["rows"], 1).to(dtype)
    start = load(W["startPath"], W["params"]).to(dtype)
    after_load = peak_mb()
    gen = torch.Generator().manual_seed(1)

    def timed(epochs):
        c0 = time.process_time()
        r = run(X, y, widths, start, W, epochs, dtype, gen)
        r["cpuMs"] = (time.process_time() - c0) * 1e3
        return r

    cold = timed(1)  # warm-up epoch (allocator, thread pool), reported as "cold"
    runs = [timed(W["epochs"]) for _ in range(meta["repeats"])]
    last = runs[-1]
    print(
        json.dumps(
            {
                "peer": f"torch-{sys.argv[2]}",
                "dtype": sys.argv[2],
                "threads": torch.get_num_threads(),
                "versions": {"python": sys.version.split()[0], "torch": torch.__version__},
                "blas": blas_info(),
                "coldEpochMs": cold["ms"],
                "ms": [r["ms"] for r in runs],
                "loopMs": [r["loopMs"] for r in runs],
                "cpuMs": [r["cpuMs"] for r in runs],
                "steps": last["steps"],
                "clippedSteps": last["clipped"],
                "epochLosses": last["epochLosses"],
                "finalLoss": last["finalLoss"],
                "memory": {"afterLoadMB": after_load, "peakMB": peak_mb()},
            }
        )
    )


if __name__ == "__main__":
    main()
