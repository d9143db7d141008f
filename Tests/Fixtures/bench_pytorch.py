#!/usr/bin/env python3
"""The PyTorch side of SlimGen's benchmarks, (c) in docs/BENCHMARKS.md.

VGG-16 inference (torchvision's vgg16, 224x224, float32, inference mode) at batch 1 and 8, and one Adam training step
of the TensorFlow tutorial's Fashion-MNIST CNN at batch 64, with the same passes, warm-up and medians as the C# program
(Tests/SlimGen.Benchmarks), in PyTorch's default configuration apart from the thread count.

Needs Debian's PyTorch and an optimized BLAS (Debian's torch otherwise uses the reference BLAS, ~7x slower dense layers):
    apt-get install python3-torch python3-torchvision libopenblas0
    /usr/bin/python3 Tests/Fixtures/bench_pytorch.py [--threads 2] [--workload all|vgg|train] [--quick]
The C# program runs it between two runs of its own of the same workload. It prints a table, then one line
`RESULT {json}` for the program.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

TRAINING_BATCH = 64


class FashionMnistCnn(nn.Module):
    """conv5x5 32 SAME relu, pool 2, conv5x5 64 SAME relu, pool 2, flatten, dense 1024 relu, dropout 0.4, dense 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc3 = nn.Linear(64 * 7 * 7, 1024)
        self.dropout3 = nn.Dropout(0.4)
        self.logits = nn.Linear(1024, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.dropout3(F.relu(self.fc3(x.flatten(1))))
        return self.logits(x)


def median_seconds(run, warm_up, passes):
    for _ in range(warm_up):
        run()
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def vgg_images_per_second(batch, quick):
    model = torchvision.models.vgg16().eval()
    images = torch.randn(batch, 3, 224, 224)
    passes = 2 if quick else 15 if batch == 1 else 6
    with torch.inference_mode():
        return batch / median_seconds(lambda: model(images), warm_up=2, passes=passes)


def training_images_per_second(quick):
    model = FashionMnistCnn().train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.rand(TRAINING_BATCH, 1, 28, 28)
    labels = torch.randint(0, 10, (TRAINING_BATCH,))

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    return TRAINING_BATCH / median_seconds(step, warm_up=5, passes=5 if quick else 40)


def blas_library():
    """The BLAS shared library this process loaded (after a matrix product has run)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libblas" in line.lower()}
    return ", ".join(sorted(paths)) or "no BLAS library mapped"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workload", choices=["all", "vgg", "train"], default="all")
    parser.add_argument("--quick", action="store_true", help="fewer passes: a smoke run, not for the record")
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)

    vgg = args.workload in ("all", "vgg")
    train = args.workload in ("all", "train")
    result = {
        "version": torch.__version__,
        "blas": blas_library(),
        "threads": torch.get_num_threads(),
        "vggImagesPerSecond": {str(batch): vgg_images_per_second(batch, args.quick) for batch in (1, 8)} if vgg else {},
        "trainImagesPerSecond": training_images_per_second(args.quick) if train else None,
    }
    print(f"PyTorch {result['version']}, {result['threads']} threads, BLAS {result['blas']}")
    for batch, rate in result["vggImagesPerSecond"].items():
        print(f"VGG-16 inference, batch {batch}: {rate:.2f} images/s")
    if train:
        print(f"Fashion-MNIST training step, batch {TRAINING_BATCH}: {result['trainImagesPerSecond']:.1f} examples/s")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
