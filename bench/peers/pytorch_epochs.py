#!/usr/bin/env python3
"""The epoch recipes of `neurite bench`, run with PyTorch: the peer for the training figures.

Usage: pytorch_epochs.py [--threads N] [--warmup S] [--round S] [--repeats N] [--keep-denormals] [--as-installed]
       [WORKLOAD ...]
Workloads: classic-b10, classic-b128, mlp-large, lenet (default: all). Prints one JSON object a
line: {"workload", "epoch_seconds", "min", "max", "step_seconds", "threads", "torch"}, and first
a line {"peer": "pytorch", ...} describing the run.

Each workload is what Neurite runs: synthetic MNIST-shaped batches (784 values in [0, 1), 10
classes), the same network, loss, optimizer and batch; one step is forward, loss, backward and
optimizer step. As in `neurite bench`, the step runs for `--warmup` seconds, then `--repeats`
rounds of at least `--round` seconds; the epoch is the median step time times the steps of 60,000
samples, and min/max scale the fastest and slowest round the same way.
"""
import argparse
import json
import os
import sys
import time

EPOCH = 60_000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--round", type=float, default=0.5)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--keep-denormals", action="store_true",
                   help="leave subnormal floats on (by default torch.set_flush_denormal(True), as Neurite's "
                        "optimizer stores state below 1e-30 as zero: Adam moments of weights whose gradient is zero "
                        "decay into subnormals, and each then costs a microcode assist, several times the step)")
    p.add_argument("--as-installed", action="store_true",
                   help="PyTorch as it comes: denormals kept, OMP_WAIT_POLICY left unset")
    p.add_argument("workloads", nargs="*", default=["classic-b10", "classic-b128", "mlp-large", "lenet"])
    args = p.parse_args()
    # OpenMP and OpenBLAS read these when they load, so they are set before torch is imported
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    # PyTorch's own threads are OpenMP, its Linear layers' GEMMs OpenBLAS threads: OpenMP threads
    # spinning after their regions took the cores from OpenBLAS (784-512-512-10 epochs 3 to 20 s,
    # 2.8 s passive, 2 cores)
    if not args.as_installed:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    keep = args.keep_denormals or args.as_installed
    import torch
    torch.set_num_threads(args.threads)
    flushing = torch.set_flush_denormal(not keep) and not keep
    print(json.dumps({"peer": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""), "flush_denormal": flushing,
                      "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
                      "cpu_capability": torch.backends.cpu.get_cpu_capability()
                      if hasattr(torch.backends, "cpu") else ""}), flush=True)
    for name in args.workloads:
        seconds = measure(torch, step_of(torch, name), args)
        steps = EPOCH / batch_of(name)
        print(json.dumps({"workload": name, "epoch_seconds": seconds[1] * steps, "min": seconds[0] * steps,
                          "max": seconds[2] * steps, "step_seconds": seconds[1], "threads": torch.get_num_threads(),
                          "torch": torch.__version__}), flush=True)


def batch_of(name):
    return {"classic-b10": 10, "classic-b128": 128, "mlp-large": 128, "lenet": 64}[name]


def step_of(torch, name):
    """A function running one training step of the workload on the next batch."""
    nn = torch.nn
    torch.manual_seed(1)
    batch = batch_of(name)
    rows = batch * 64
    images = name == "lenet"
    x = torch.rand(rows, 1, 28, 28) if images else torch.rand(rows, 784)
    labels = torch.randint(0, 10, (rows,))
    if name.startswith("classic"):
        model = nn.Sequential(nn.Linear(784, 15), nn.Sigmoid(), nn.Linear(15, 10), nn.Sigmoid())
        optimizer = torch.optim.SGD(model.parameters(), lr=3.0)
        targets = nn.functional.one_hot(labels, 10).float()

        def loss_of(out, i):
            # quadratic: 1/(2B) sum of squared errors
            return 0.5 * ((out - targets[i:i + batch]) ** 2).sum() / batch
    else:
        if images:
            model = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 50, 5), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))
        else:
            model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
        cross_entropy = nn.CrossEntropyLoss()

        def loss_of(out, i):
            return cross_entropy(out, labels[i:i + batch])
    position = [0]

    def step():
        i = position[0]
        position[0] = (i + batch) % rows
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(model(x[i:i + batch]), i)
        loss.backward()
        optimizer.step()
    return step


def measure(torch, step, args):
    """(fastest, median, slowest) seconds a step over the timed rounds, after the warm-up."""
    start = time.perf_counter()
    calls = 0
    while True:
        step()
        calls += 1
        if time.perf_counter() - start >= args.warmup:
            break
    per_round = max(1, int(calls * args.round / (time.perf_counter() - start) + 0.999))
    rounds = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for _ in range(per_round):
            step()
        rounds.append((time.perf_counter() - t0) / per_round)
    rounds.sort()
    n = len(rounds)
    median = rounds[n // 2] if n % 2 == 1 else (rounds[n // 2 - 1] + rounds[n // 2]) / 2
    return rounds[0], median, rounds[-1]


if __name__ == "__main__":
    sys.exit(main())
