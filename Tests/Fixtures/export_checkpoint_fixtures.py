#!/usr/bin/python3
"""Writes the PyTorch checkpoints that the runtime's checkpoint tests load into SlimGen models.

Each model is built here in plain PyTorch with a fixed seed; its weights are saved twice, as safetensors
(written by fixture_io.py with struct and json, from the format's definition) and with torch.save (the zip format),
together with an input batch and PyTorch's output for it. The tests load each file into the equivalent
SlimGen model (Tests/SlimGen.Runtime.Tests/Models/CheckpointNets.cs) and must reproduce the output.

- small_cnn: SlimGen's own key layout, with a convolution whose batch-norm normalizer replaces its bias
  (conv1.weight, conv1.bn.running_mean, ..., an int64 num_batches_tracked) and random running statistics.
- tiny_vgg: torchvision's VGG key layout (features.N.*, classifier.N.*), built with torchvision's own
  make_layers and VGG.forward at reduced widths (4/8/16 channels, 16x16 input). The classifier's first
  layer reads a 16x2x2 map, so matching its output proves the name map and the flatten order.
- torchvision_vgg_layout.json: every state_dict key and shape of torchvision's vgg11, vgg16 and vgg19,
  which the tests compare with the zoo models' torchvision name maps.

PyTorch's Conv2d with padding=1 equals TensorFlow's SAME padding for 3x3 kernels at stride 1, and 2x2
pools at stride 2 are VALID in both, so the models avoid the cases where the two paddings differ.

Run with Debian's PyTorch (apt-get install python3-torch python3-torchvision):

    /usr/bin/python3 Tests/Fixtures/export_checkpoint_fixtures.py

It rewrites Tests/SlimGen.Runtime.Tests/Fixtures/checkpoints/; the output is deterministic.
"""

import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

from fixture_io import randomize_batch_norm, save_safetensors

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SlimGen.Runtime.Tests", "Fixtures", "checkpoints")


def export(name, model, input_shape):
    """Weights as safetensors and as a torch.save zip, then an input batch and the model's output."""
    model.eval()
    state = model.state_dict()
    save_safetensors(state, os.path.join(OUT_DIR, name + ".safetensors"))
    torch.save(state, os.path.join(OUT_DIR, name + ".pt"))
    x = torch.randn(2, *input_shape)
    with torch.no_grad():
        y = model(x)
    save_safetensors({"input": x, "output": y}, os.path.join(OUT_DIR, name + ".io.safetensors"))


class ConvWithBatchNorm(nn.Module):
    """SlimGen's convolution with a batch-norm normalizer: no bias, conv -> batch norm -> ReLU."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, 3, 3) * 0.4)
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        return F.relu(self.bn(F.conv2d(x, self.weight, padding=1)))


class SmallCnn(nn.Module):
    """SlimGen's SmallCnn: [1, 8, 8] -> conv1 (BN) -> pool1 -> conv2 -> avg pool2 -> flatten -> logits (5)."""

    def __init__(self):
        super().__init__()
        self.conv1 = ConvWithBatchNorm(1, 4)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 6, 3, padding=1)
        self.pool2 = nn.AvgPool2d(2)
        self.logits = nn.Linear(6 * 2 * 2, 5)

    def forward(self, x):
        x = self.pool1(self.conv1(x))
        x = self.pool2(F.relu(self.conv2(x)))
        return self.logits(torch.flatten(x, 1))


def small_cnn():
    model = SmallCnn()
    randomize_batch_norm(model.conv1.bn)
    return model


def tiny_vgg():
    """torchvision's VGG at reduced widths: its make_layers, its forward (avgpool, flatten, classifier)."""
    model = torchvision.models.VGG(torchvision.models.vgg.make_layers([4, 4, "M", 8, "M", 16, 16, "M"]), init_weights=False)
    # A 16x16 input leaves 16x2x2 after three pools; torchvision's adaptive pool to 7x7 becomes 2x2, the identity.
    model.avgpool = nn.AdaptiveAvgPool2d((2, 2))
    model.classifier = nn.Sequential(
        nn.Linear(16 * 2 * 2, 16), nn.ReLU(True), nn.Dropout(),
        nn.Linear(16, 16), nn.ReLU(True), nn.Dropout(),
        nn.Linear(16, 10))
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            fan_in = parameter[0].numel() if parameter.dim() > 1 else 10
            parameter.copy_(torch.randn_like(parameter) * (2.0 / fan_in) ** 0.5)
    return model


def torchvision_vgg_layout():
    """state_dict keys and shapes of torchvision's VGG-11, -16 and -19, without pretrained weights."""
    layout = {}
    for name in ["vgg11", "vgg16", "vgg19"]:
        model = getattr(torchvision.models, name)(weights=None, init_weights=False)
        layout[name] = {key: list(value.shape) for key, value in model.state_dict().items()}
        del model
    with open(os.path.join(OUT_DIR, "torchvision_vgg_layout.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write('{\n  "generator": "Tests/Fixtures/export_checkpoint_fixtures.py",\n')
        f.write(",\n".join('  "%s": %s' % (name, json.dumps(keys)) for name, keys in layout.items()))
        f.write("\n}\n")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.manual_seed(2024)
    export("small_cnn", small_cnn(), (1, 8, 8))
    torch.manual_seed(2025)
    export("tiny_vgg", tiny_vgg(), (3, 16, 16))
    torchvision_vgg_layout()


if __name__ == "__main__":
    main()
