#!/usr/bin/env python3
"""Writes the Fashion-MNIST subset embedded in the sample: the first 160 training and 40 test images of each class,
in file order, as gzip-compressed IDX files like the originals. Reproducible byte for byte (gzip mtime 0).

    python3 Samples/FashionMnist/Data/make_subset.py [/usr/share/datasets/fashion-mnist]
"""
import gzip
import os
import struct
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
TARGET = os.path.dirname(os.path.abspath(__file__))
SPLITS = [("train", 160), ("t10k", 40)]  # (file prefix, examples per class)
CLASSES = 10


def read(name):
    with gzip.open(os.path.join(SOURCE, name)) as f:
        return f.read()


def write(name, header, payload):
    with open(os.path.join(TARGET, name), "wb") as f:
        f.write(gzip.compress(header + payload, compresslevel=9, mtime=0))


for prefix, per_class in SPLITS:
    images = read(f"{prefix}-images-idx3-ubyte.gz")
    labels = read(f"{prefix}-labels-idx1-ubyte.gz")
    _, count, rows, cols = struct.unpack(">IIII", images[:16])
    size = rows * cols
    taken = {c: 0 for c in range(CLASSES)}
    chosen = []
    for i in range(count):
        label = labels[8 + i]
        if taken[label] < per_class:
            taken[label] += 1
            chosen.append(i)
    pixels = b"".join(images[16 + i * size:16 + (i + 1) * size] for i in chosen)
    classes = bytes(labels[8 + i] for i in chosen)
    write(f"{prefix}-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, len(chosen), rows, cols), pixels)
    write(f"{prefix}-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, len(chosen)), classes)
    print(f"{prefix}: {len(chosen)} examples")
