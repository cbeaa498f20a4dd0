#!/usr/bin/env python3
"""PyTorch reference timings for the suite's variants, on the same machine as the JMH runs.

Reads the layer lists the Java registry writes (--models, JSON {variant: [layer, ...]}), builds
each as a torch.nn.Sequential with the same layers (valid 3x3 conv + ReLU, 2x2 pooling, zero
padding, dropout, dense + ReLU, a softmax output trained with cross-entropy, Adam), and times a
training step and inference on random batches: warm-up by time, then timed windows; the mean
over windows, in microseconds per sample. Writes JSON to --out. Called by
`BenchDriver compare`; runnable alone.
"""
import argparse
import json
import os
import time
import warnings

import torch
import torch.nn as nn


def build(layers):
    mods, channels = [], 1
    for layer in layers:
        if layer.startswith("pad"):
            mods.append(nn.ZeroPad2d(int(layer[3:])))
        elif layer.startswith("conv"):
            out = int(layer[4:])
            mods += [nn.Conv2d(channels, out, 3), nn.ReLU()]
            channels = out
        elif layer == "maxpool":
            mods.append(nn.MaxPool2d(2))
        elif layer == "avgpool":
            mods.append(nn.AvgPool2d(2))
        elif layer.startswith("dropout"):
            mods.append(nn.Dropout(float(layer[7:])))
        elif layer == "flatten":
            mods.append(nn.Flatten())
        elif layer.startswith("dense"):
            mods += [nn.LazyLinear(int(layer[5:])), nn.ReLU()]
        elif layer.startswith("softmax"):
            mods.append(nn.LazyLinear(int(layer[7:])))  # logits; CrossEntropyLoss applies log-softmax
        else:
            raise SystemExit(f"unknown layer {layer!r}")
    return nn.Sequential(*mods)


def timed(fn, warmup_s, window_s, windows, batch):
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        fn()
    results = []
    for _ in range(windows):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= window_s:
                break
        results.append(elapsed * 1e6 / (n * batch))
    return sum(results) / len(results), results


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--models", required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=float, default=4.0)
    ap.add_argument("--window", type=float, default=4.0)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    warnings.filterwarnings("ignore", message="Lazy modules")
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    with open(args.models) as f:
        models = json.load(f)
    out = {"torch_version": torch.__version__, "threads": torch.get_num_threads(),
           "blas": torch.__config__.show().replace("\n", " ")[:300], "batch": args.batch, "models": {}}
    for name, layers in models.items():
        flat_input = layers[0] == "flatten" and not any(l.startswith("conv") for l in layers)
        x = torch.rand(args.batch, 784) if flat_input else torch.rand(args.batch, 1, 28, 28)
        y = torch.randint(0, 10, (args.batch,))
        model = build(layers)
        model(x)  # materialise the lazy layers
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        loss_fn = nn.CrossEntropyLoss()

        def train_step():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()

        def infer():
            with torch.no_grad():
                torch.softmax(model(x), dim=1)

        model.train()
        train_mean, train_windows = timed(train_step, args.warmup, args.window, args.windows, args.batch)
        model.eval()
        inf_mean, inf_windows = timed(infer, args.warmup, args.window, args.windows, args.batch)
        out["models"][name] = {"train_us_per_sample": train_mean, "train_windows": train_windows,
                               "inference_us_per_sample": inf_mean, "inference_windows": inf_windows}
        print(f"pytorch {name}: train {train_mean:,.0f} us/sample, inference {inf_mean:,.0f} us/sample", flush=True)
    tmp = args.out + ".part"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=2)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
