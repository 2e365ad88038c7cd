"""PyTorch side of bench/clip-overhead.mjs: per-step cost of clip_grad_norm_ and
clip_grad_value_ on 1,000,000 float64 parameters, against a plain SGD / Adam step.

Usage: /usr/bin/python3 bench/clip-overhead-torch.py '{"tensors":10,"rows":1000,"cols":100,
       "samples":123,"threads":1,"factors":[...]}'  -> one JSON object on the last stdout line.
Each step first refills every .grad with source*f (f cycling, as the JS side does); "net" is
the median step time minus the median refill time.
"""

import json
import statistics
import sys
import time

import torch


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(0)
    shape = (cfg["rows"], cfg["cols"])
    params = [torch.nn.Parameter(0.05 * torch.randn(shape, dtype=torch.float64)) for _ in range(cfg["tensors"])]
    sources = [torch.randn(shape, dtype=torch.float64) for _ in range(cfg["tensors"])]
    for p in params:
        p.grad = torch.zeros_like(p)
    factors = cfg["factors"]

    sgd = torch.optim.SGD(params, lr=0.01)
    adam = torch.optim.Adam(params, lr=0.001)
    saved = [p.detach().clone() for p in params]

    def refill(step):
        f = factors[step % len(factors)]
        for p, s in zip(params, sources):
            torch.mul(s, f, out=p.grad)

    cases = {
        "refill": None,
        "sgd": lambda: sgd.step(),
        "adam": lambda: adam.step(),
        "clip_grad_norm_": lambda: torch.nn.utils.clip_grad_norm_(params, 1.0),
        "clip_grad_value_": lambda: torch.nn.utils.clip_grad_value_(params, 0.5),
    }
    times = {}
    with torch.no_grad():
        for name, op in cases.items():
            ts = []
            for step in range(60 + cfg["samples"]):
                t0 = time.perf_counter()
                refill(step)
                if op is not None:
                    op()
                dt = time.perf_counter() - t0
                if step >= 60:
                    ts.append(dt * 1e3)
            times[name] = statistics.median(ts)
            for p, s in zip(params, saved):  # the optimizer steps move the parameters
                p.copy_(s)
    base = times["refill"]
    net = {k: max(v - base, 0.0) for k, v in times.items() if k != "refill"}
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "refill": base, "raw": times, "net": net}))


if __name__ == "__main__":
    main()
