"""PyTorch side of `deno task bench train`: the same models and steps as bench/train_bench.ts.

Prints one JSON object: {"model", "train_img_s", "infer_img_s", "params", "threads", "torch",
"onednn"}. "params" counts trainable parameters, which the digits side checks against its model's.
Usage: /usr/bin/python3 bench/torch_train_bench.py MODEL [--threads 2] [--seconds 3] [--batch 128]
       /usr/bin/python3 bench/torch_train_bench.py versions   (prints {"torch", "onednn"} only)
       /usr/bin/python3 bench/torch_train_bench.py MODEL --params-only

The layers mirror models/*.ts: "same" convolutions get padding k//2 (for the stride-2 ones in
deotte, tfjs pads 1 before and 2 after; PyTorch pads 2 on both sides and gets the same output size
and cost). Batch norm uses tfjs's epsilon (1e-3) and momentum (PyTorch's momentum = 1 − tfjs's).
"""
import argparse
import json
import re
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


def bn(channels, tfjs_momentum=0.99):
    return nn.BatchNorm2d(channels, eps=1e-3, momentum=1 - tfjs_momentum)


def compact_cnn():
    """models/compact_cnn.ts: (Conv 3×3 same ReLU, MaxPool 2, BatchNorm momentum 0.9) × 16/32/64,
    Dense 128 ReLU, Dense 10."""
    layers = []
    cin = 1
    for cout in (16, 32, 64):
        layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), bn(cout, 0.9)]
        cin = cout
    return nn.Sequential(
        *layers, nn.Flatten(), nn.Linear(64 * 3 * 3, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def deotte():
    """models/deotte_cnn.ts: Chris Deotte's Kaggle CNN (conv + BatchNorm blocks, dropout 0.4)."""
    def conv_bn(cin, cout, k, stride=1):
        pad = 0 if stride == 1 else k // 2
        return [nn.Conv2d(cin, cout, k, stride=stride, padding=pad), nn.ReLU(), bn(cout)]

    return nn.Sequential(
        *conv_bn(1, 32, 3), *conv_bn(32, 32, 3), *conv_bn(32, 32, 5, 2), nn.Dropout(0.4),
        *conv_bn(32, 64, 3), *conv_bn(64, 64, 3), *conv_bn(64, 64, 5, 2), nn.Dropout(0.4),
        *conv_bn(64, 128, 4), nn.Flatten(), nn.Dropout(0.4), nn.Linear(128, 10),
    )


MODELS = {
    "small-cnn-ref": small_cnn_ref,
    "kaggle-cnn": kaggle_cnn,
    "compact-cnn": compact_cnn,
    "deotte": deotte,
}


def onednn_version():
    """The oneDNN (MKL-DNN) version PyTorch was built with, from its build configuration."""
    match = re.search(r"(?:oneDNN|MKL-DNN)[^\n]*?v?(\d+\.\d+(?:\.\d+)?)", torch.__config__.show())
    return match.group(1) if match else "unknown"


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
    parser.add_argument("model", choices=sorted(MODELS) + ["versions"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--batch", type=int, default=TRAIN_BATCH)
    parser.add_argument("--params-only", action="store_true",
                        help='print {"model", "params"} without timing anything')
    args = parser.parse_args()
    if args.model == "versions":
        print(json.dumps({"torch": torch.__version__, "onednn": onednn_version()}))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = MODELS[args.model]()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if args.params_only:
        print(json.dumps({"model": args.model, "params": params}))
        return
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.batch,))

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
        "train_img_s": args.batch / train_s,
        "infer_img_s": INFER_BATCH / infer_s,
        "params": params,
        "threads": args.threads,
        "torch": torch.__version__,
        "onednn": onednn_version(),
    }))


if __name__ == "__main__":
    main()
