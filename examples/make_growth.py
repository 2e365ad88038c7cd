"""Makes growth.csv: exponential bacterial growth, the 'exponential-growth model from a bad start'
demonstration of docs/CLIPPING.md. OD600 = N0 * exp(r * t) with N0 = 0.02, r = 0.45 per hour,
t = 0..10 h every 0.5 h, multiplicative noise sd 3% (numpy seed 11).
Run: python3 examples/make_growth.py
"""
import os

import numpy as np

rng = np.random.RandomState(11)
t = np.arange(0, 10.01, 0.5)
od = 0.02 * np.exp(0.45 * t) * (1 + 0.03 * rng.randn(t.size))
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "growth.csv")
with open(path, "w") as f:
    f.write("t,od600\n")
    for ti, yi in zip(t, od):
        f.write(f"{ti:.1f},{yi:.6g}\n")
print("wrote", path)
