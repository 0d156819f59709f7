"""PyTorch side of `deno task bench train`: the same models and steps as bench/train_bench.ts.

Prints one JSON object: {"model", "train_img_s", "infer_img_s", "threads", "torch"}.
Usage: /usr/bin/python3 bench/torch_train_bench.py MODEL [--threads 2] [--seconds 3]
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

TRAIN_BATCH = 128
INFER_BATCH = 512


def small_cnn_ref():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def kaggle_cnn():
    def conv(cin, cout, k):
        return [nn.Conv2d(cin, cout, k, padding=k // 2), nn.ReLU()]

    return nn.Sequential(
        *conv(1, 64, 5), nn.MaxPool2d(2), nn.BatchNorm2d(64),
        *conv(64, 128, 3), *conv(128, 128, 3), nn.MaxPool2d(2), nn.BatchNorm2d(128),
        *conv(128, 256, 3), *conv(256, 256, 3), nn.MaxPool2d(2), nn.BatchNorm2d(256),
        nn.Flatten(),
        nn.Linear(256 * 3 * 3, 512), nn.ELU(), nn.Dropout(0.2),
        nn.Linear(512, 512), nn.ELU(), nn.Dropout(0.2),
        nn.Linear(512, 256), nn.ELU(), nn.Linear(256, 10),
    )


MODELS = {"small-cnn-ref": small_cnn_ref, "kaggle-cnn": kaggle_cnn}


def timed(fn, seconds, min_runs, max_runs):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < seconds and len(times) < max_runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=sorted(MODELS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = MODELS[args.model]()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(TRAIN_BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (TRAIN_BATCH,))

    def train_step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model.train()
    train_s = timed(train_step, args.seconds, 3, 50)
    model.eval()
    xi = torch.randn(INFER_BATCH, 1, 28, 28)

    def infer():
        with torch.no_grad():
            return model(xi).argmax(1)

    infer_s = timed(infer, args.seconds, 2, 50)
    print(json.dumps({
        "model": args.model,
        "train_img_s": TRAIN_BATCH / train_s,
        "infer_img_s": INFER_BATCH / infer_s,
        "threads": args.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
