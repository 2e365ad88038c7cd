"""Makes linear3.csv and linear3.solution.json (run from anywhere; writes next to this file).

Data: 200 rows, x ~ N(0, 1) (200 x 3), y = 1.5 + 2*x1 - 0.5*x2 + 0.25*x3 + 0.1*N(0, 1),
drawn with numpy's legacy generator seeded by np.random.seed(7): all of X first (row by
row), then the noise. Floats are written with '%.17g', which round-trips doubles exactly.

Solution: ordinary least squares on [X, 1] with np.linalg.lstsq, i.e. the exact minimiser
of the mean squared error that gradient-based fits should approach.

Run:  python3 examples/make_linear3.py  (numpy >= 1.17)
"""

import json
import os

import numpy as np

np.random.seed(7)
n = 200
X = np.random.randn(n, 3)
y = 1.5 + 2 * X[:, 0] - 0.5 * X[:, 1] + 0.25 * X[:, 2] + 0.1 * np.random.randn(n)

here = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(here, "linear3.csv"), "w", newline="\n") as f:
    f.write("x1,x2,x3,y\n")
    for row, target in zip(X, y):
        f.write(",".join("%.17g" % v for v in (*row, target)) + "\n")

A = np.hstack([X, np.ones((n, 1))])
coef, *_ = np.linalg.lstsq(A, y, rcond=None)
w = ", ".join(json.dumps(float(v)) for v in coef[:3])  # repr: shortest round-trip digits
b = json.dumps(float(coef[3]))
with open(os.path.join(here, "linear3.solution.json"), "w", newline="\n") as f:
    # Laid out as the repository's formatter (Biome) lays it out, so it stays lint-clean.
    f.write('{\n  "w": [%s],\n  "b": %s\n}\n' % (w, b))
