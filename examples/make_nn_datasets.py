"""Writes the classification and regression example data sets from the copies that
scikit-learn bundles (sklearn/datasets/data/), so no download is needed:

    examples/breast-cancer-wisconsin.csv   569 rows: diagnosis (M/B) + 30 features
    examples/diabetes.csv                  442 rows: 10 baseline variables + progression
    examples/wine.csv                      178 rows: cultivar (1/2/3) + 13 features

Numbers are written as the shortest decimal that reads back as the identical double
(Python's repr, with a trailing ".0" dropped), and the script checks that every value it
wrote equals scikit-learn's loaded value exactly. See examples/NN-DATASETS.md for the
origin, citations and licences.

Run from the repository root with the Debian/Ubuntu package (pip is not needed):
    apt-get install python3-sklearn
    /usr/bin/python3 examples/make_nn_datasets.py
"""

import csv
import gzip
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data")


def number(v):
    """Shortest round-trip decimal; integers without a trailing '.0'."""
    s = repr(float(v))
    if s.endswith(".0"):
        s = s[:-2]
    assert float(s) == float(v), (v, s)
    return s


def csv_name(name):
    """sklearn's breast-cancer names ('mean radius', 'radius error', 'worst concave points')
    in the UCI/Kaggle style: radius_mean, radius_se, concave_points_worst."""
    if name.startswith("mean "):
        base, stat = name[5:], "mean"
    elif name.endswith(" error"):
        base, stat = name[:-6], "se"
    elif name.startswith("worst "):
        base, stat = name[6:], "worst"
    else:
        raise ValueError(name)
    return f"{base.replace(' ', '_')}_{stat}"


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def check(path, x, labels):
    """Reads the written file back (label first, then features) and compares with sklearn's."""
    with open(path, newline="") as f:
        body = list(csv.reader(f))[1:]
    assert [row[0] for row in body] == list(labels), path
    assert np.array_equal(np.array([[float(v) for v in row[1:]] for row in body]), x), path
    return len(body)


def breast_cancer():
    bc = load_breast_cancer()
    names = [csv_name(n) for n in bc.feature_names]
    assert len(names) == 30 and len(set(names)) == 30
    # sklearn's target: 0 = malignant, 1 = benign (target_names == ['malignant', 'benign']).
    assert list(bc.target_names) == ["malignant", "benign"]
    diagnosis = ["M" if t == 0 else "B" for t in bc.target]
    rows = [[d] + [number(v) for v in row] for d, row in zip(diagnosis, bc.data)]
    path = os.path.join(HERE, "breast-cancer-wisconsin.csv")
    write(path, ["diagnosis"] + names, rows)
    n = check(path, bc.data, diagnosis)
    print(f"{path}: {n} rows, 30 features, M {diagnosis.count('M')}, B {diagnosis.count('B')}")


def diabetes():
    # The raw (unscaled) data, as published by Efron et al. (scikit-learn's load_diabetes
    # returns a centred, scaled version unless scaled=False).
    raw = load_diabetes(scaled=False)
    with gzip.open(os.path.join(DATA, "diabetes_data_raw.csv.gz"), "rt") as f:
        first = f.readline().split()
    assert float(first[0]) == raw.data[0, 0]
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    assert list(raw.feature_names) == names
    rows = [[number(v) for v in row] + [number(t)] for row, t in zip(raw.data, raw.target)]
    path = os.path.join(HERE, "diabetes.csv")
    write(path, names + ["progression"], rows)
    with open(path, newline="") as f:
        body = list(csv.reader(f))[1:]
    back = np.array([[float(v) for v in row] for row in body])
    assert np.array_equal(back[:, :10], raw.data) and np.array_equal(back[:, 10], raw.target)
    print(f"{path}: {len(body)} rows, 10 features, progression {raw.target.min():g}..{raw.target.max():g}")


def wine():
    w = load_wine()
    names = [n.replace("/", "_") for n in w.feature_names]
    # sklearn's class_0, class_1, class_2 are UCI's cultivars 1, 2, 3 (rows in the same order).
    cultivar = [str(int(t) + 1) for t in w.target]
    rows = [[c] + [number(v) for v in row] for c, row in zip(cultivar, w.data)]
    path = os.path.join(HERE, "wine.csv")
    write(path, ["cultivar"] + names, rows)
    n = check(path, w.data, cultivar)
    counts = {c: cultivar.count(c) for c in "123"}
    print(f"{path}: {n} rows, 13 features, cultivars {counts}")


if __name__ == "__main__":
    print(f"scikit-learn {sklearn.__version__}, data from {DATA}")
    breast_cancer()
    diabetes()
    wine()
