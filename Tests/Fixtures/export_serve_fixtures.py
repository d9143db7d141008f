#!/usr/bin/python3
"""Writes the reference values of Samples/Serve's ImageNet preprocessing, computed by torchvision.

torchvision's evaluation transform for its ImageNet weights: Resize(256) with antialiased bilinear interpolation,
CenterCrop(224), scaling to [0, 1] and Normalize with ImageNet's mean and standard deviation. The images are made from
an integer formula that the C# test computes too. Float tensors go through torchvision's tensor path (antialias=True),
which keeps float precision between its two passes, as the service does.

Run with Debian's PyTorch (apt-get install python3-torch python3-torchvision):

    /usr/bin/python3 Tests/Fixtures/export_serve_fixtures.py

It rewrites Tests/SlimGen.Serve.Tests/Fixtures/imagenet_preprocessing.json; the output is deterministic.
"""

import json
import os

import torch
import torchvision.transforms.functional as TF

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SlimGen.Serve.Tests", "Fixtures", "imagenet_preprocessing.json")
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
SAMPLES = 400


def pixel(x, y, c):
    return (x * 7 + y * 13 + c * 61 + (x * y) % 17) % 256


def case(width, height):
    image = torch.tensor([[[pixel(x, y, c) for x in range(width)] for y in range(height)] for c in range(3)], dtype=torch.float64)
    resized = TF.resize(image / 255.0, 256, interpolation=TF.InterpolationMode.BILINEAR, antialias=True)
    cropped = TF.center_crop(resized, [224, 224])
    normalized = TF.normalize(cropped, MEAN, STD).flatten()
    # A deterministic spread of positions over the whole 3x224x224 output, and every channel's mean.
    positions = [(i * 7919) % normalized.numel() for i in range(SAMPLES)]
    return {
        "width": width,
        "height": height,
        "positions": positions,
        "values": [repr(normalized[p].item()) for p in positions],
        "channel_means": [repr(v) for v in TF.normalize(cropped, MEAN, STD).mean(dim=(1, 2)).tolist()],
    }


def main():
    cases = [case(300, 260), case(500, 375), case(80, 100)]
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
