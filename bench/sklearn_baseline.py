#!/usr/bin/env python3
"""scikit-learn reference on a headerless digits CSV (class last, like UCI optdigits).

Usage:
  python3 bench/sklearn_baseline.py TRAIN.csv TEST.csv [--pixel-max 16] [--models svc,linear-svc,knn]
  python3 bench/sklearn_baseline.py train.csv test_labelled.csv --header --label-first --pixel-max 255

Prints one line per model: its accuracy on TEST and the fit + predict wall time. Pixels are scaled
to [0, 1] by --pixel-max first (the same scale the digits pipeline trains on). `svc` is
scikit-learn's `SVC()` with its defaults (RBF kernel, C=1, gamma='scale'), the reference of
issue 12; `linear-svc` is `LinearSVC(multi_class='crammer_singer')` (the zoo's `svm`), `knn` is
`KNeighborsClassifier(3)` (the zoo's `knn`), `logreg` is `LogisticRegression`.
"""
import argparse
import time

import numpy as np


def load(path, header, label_first, pixel_max):
    data = np.loadtxt(path, delimiter=",", skiprows=1 if header else 0, dtype=np.float64)
    if label_first:
        y, x = data[:, 0], data[:, 1:]
    else:
        x, y = data[:, :-1], data[:, -1]
    return x / pixel_max, y.astype(int)


def make(name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC, LinearSVC

    return {
        "svc": lambda: SVC(),
        "linear-svc": lambda: LinearSVC(multi_class="crammer_singer", max_iter=5000),
        "knn": lambda: KNeighborsClassifier(3),
        "logreg": lambda: LogisticRegression(max_iter=2000),
    }[name]()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("--pixel-max", type=float, default=16)
    parser.add_argument("--header", action="store_true", help="the files have a header line")
    parser.add_argument("--label-first", action="store_true", help="the class is the first column")
    parser.add_argument("--limit", type=int, default=0, help="use the first N training rows")
    parser.add_argument("--models", default="svc,linear-svc,knn,logreg")
    args = parser.parse_args()
    x, y = load(args.train, args.header, args.label_first, args.pixel_max)
    if args.limit > 0:
        x, y = x[: args.limit], y[: args.limit]
    tx, ty = load(args.test, args.header, args.label_first, args.pixel_max)
    print(f"{args.train}: {len(y)} train rows, {args.test}: {len(ty)} test rows, {x.shape[1]} pixels")
    for name in args.models.split(","):
        model = make(name)
        started = time.perf_counter()
        model.fit(x, y)
        acc = float((model.predict(tx) == ty).mean())
        seconds = time.perf_counter() - started
        print(f"{name:<11} acc {acc * 100:.2f}%  {seconds:.2f} s (fit + predict)")


if __name__ == "__main__":
    main()
