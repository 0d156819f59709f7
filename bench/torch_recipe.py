"""PyTorch side of `deno task bench recipe`: bare `deno task train`'s default recipe in PyTorch.

The recipe is train/presets.ts's `default` preset: compact-cnn (as in bench/torch_train_bench.py),
Adam (tfjs's epsilon 1e-7) at 2e-3 × 0.75^epoch (epoch 0-based, set at each epoch's start),
batch 64, 8 epochs, 5% of the training rows held out for validation, the "light" augmentation
(train/config.ts: rotation ±8°, zoom 0.92–1.08 per axis, shifts ±8%, bilinear, zero fill, drawn
per image as pipeline/augment_image.ts does, applied with affine_grid + grid_sample), pixels
scaled to [0, 1], and the last epoch's weights scored on the 10,000-image MNIST test set.
It reads the same CSV files digits trains on (DIGITS_CACHE_DIR's mnist/ folder).

Prints one JSON object: {"test_acc", "val_acc", "train_s", "load_s", "epochs", "train_rows",
"threads", "torch"}.
Usage: /usr/bin/python3 bench/torch_recipe.py --data DIR [--epochs 8] [--limit N] [--threads 2]
"""
import argparse
import glob
import json
import math
import os
import time

import numpy as np
import pandas as pd
import torch
from torch import nn
import torch.nn.functional as F

from torch_train_bench import compact_cnn


def load(data_dir, limit):
    """Training rows (all shards, in order) and the labelled test set, as uint8 arrays."""
    shards = sorted(glob.glob(os.path.join(data_dir, "train", "*.csv")))
    if not shards:
        raise SystemExit(f"no training CSV files in {data_dir}/train: run `deno task data` first")
    train = pd.concat([pd.read_csv(f, dtype=np.uint8) for f in shards]).to_numpy()
    if limit > 0:
        train = train[:limit]
    test = pd.read_csv(os.path.join(data_dir, "test_labelled.csv"), dtype=np.uint8).to_numpy()
    return train, test


def to_tensors(rows):
    x = torch.from_numpy(rows[:, 1:].astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    return x, torch.from_numpy(rows[:, 0].astype(np.int64))


def light_augment(x, rng):
    """pipeline/augment_image.ts's affine transform with the light preset, for a batch."""
    n, _, h, w = x.shape
    theta = np.radians(rng.uniform(-8, 8, n))
    tx = rng.uniform(-0.08, 0.08, n) * h  # rows
    ty = rng.uniform(-0.08, 0.08, n) * w  # columns
    zx = rng.uniform(0.92, 1.08, n)
    zy = rng.uniform(0.92, 1.08, n)
    cos, sin = np.cos(theta), np.sin(theta)
    # M maps output (row, col) to input (row, col): rotation · shift · zoom, about the centre.
    a00, a01, a02 = cos * zx, -sin * zy, cos * tx - sin * ty
    a10, a11, a12 = sin * zx, cos * zy, sin * tx + cos * ty
    o_r, o_c = h / 2 - 0.5, w / 2 - 0.5
    a02 = a02 + o_r - a00 * o_r - a01 * o_c
    a12 = a12 + o_c - a10 * o_r - a11 * o_c
    # To affine_grid's normalised (x = column, y = row) coordinates, align_corners=True.
    s = (h - 1) / 2
    grid_theta = np.stack([
        np.stack([a11, a10, a10 + a11 + a12 / s - 1], 1),
        np.stack([a01, a00, a00 + a01 + a02 / s - 1], 1),
    ], 1).astype(np.float32)
    grid = F.affine_grid(torch.from_numpy(grid_theta), list(x.shape), align_corners=True)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
                      for i in range(0, len(x), 1000))
    model.train()
    return correct / len(x)


def init_like_digits(model):
    """He-normal kernels (Glorot-uniform for the last layer), zero biases, as models/ does."""
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    for m in layers:
        if m is layers[-1]:
            nn.init.xavier_uniform_(m.weight)
        else:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="the mnist/ folder of DIGITS_CACHE_DIR")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--limit", type=int, default=0, help="use at most N training rows")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    t0 = time.perf_counter()
    train_rows, test_rows = load(args.data, args.limit)
    order = rng.permutation(len(train_rows))
    n_valid = math.floor(len(train_rows) * 0.05)
    x_valid, y_valid = to_tensors(train_rows[order[:n_valid]])
    x_train, y_train = to_tensors(train_rows[order[n_valid:]])
    x_test, y_test = to_tensors(test_rows)
    load_s = time.perf_counter() - t0

    model = compact_cnn()
    init_like_digits(model)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    t1 = time.perf_counter()
    val_acc = float("nan")
    for epoch in range(args.epochs):
        for group in opt.param_groups:
            group["lr"] = 2e-3 * 0.75 ** epoch
        perm = torch.from_numpy(rng.permutation(len(x_train)))
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            xb = light_augment(x_train[idx], rng)
            opt.zero_grad()
            loss_fn(model(xb), y_train[idx]).backward()
            opt.step()
        if n_valid > 0:
            val_acc = accuracy(model, x_valid, y_valid)
    train_s = time.perf_counter() - t1
    print(json.dumps({
        "test_acc": accuracy(model, x_test, y_test),
        "val_acc": val_acc,
        "train_s": train_s,
        "load_s": load_s,
        "epochs": args.epochs,
        "train_rows": len(x_train),
        "threads": args.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
