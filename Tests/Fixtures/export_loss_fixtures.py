#!/usr/bin/python3
"""Writes the reference values the loss tests compare against (Tests/SlimGen.Runtime.Tests/LossesTests.cs).

Inputs are float32 (what the losses run on); the references, each loss and its gradient with respect to the
logits or predictions, are computed in float64 by PyTorch, except sigmoid cross entropy, which is written out from
TensorFlow's formula (PyTorch has no label smoothing for it). Run with Debian's PyTorch:

    /usr/bin/python3 Tests/Fixtures/export_loss_fixtures.py

It rewrites Tests/SlimGen.Runtime.Tests/Fixtures/losses.json; the output is deterministic.
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SlimGen.Runtime.Tests", "Fixtures", "losses.json")


def values(t, dtype):
    """A tensor as { shape, data }; float32 values are written as the doubles they are, so they parse back exactly."""
    t = t.detach().contiguous()
    data = [float(np.float32(v)) for v in t.flatten().tolist()] if dtype == "float32" else t.flatten().tolist()
    return {"shape": list(t.shape), "data": data}


def case(name, loss, input32, target, reference, label_smoothing=0.0):
    """Evaluates reference(input64) and its gradient; the target is stored as given (float32 or int64)."""
    x = input32.to(torch.float64).requires_grad_(True)
    value = reference(x)
    value.backward()
    return {
        "name": name,
        "loss": loss,
        "label_smoothing": label_smoothing,
        "input": values(input32, "float32"),
        "target": values(target, "float32" if target.is_floating_point() else "int64"),
        "expected": value.item(),
        "gradient": values(x.grad, "float64"),
    }


def tf_sigmoid_cross_entropy(x, y, label_smoothing):
    """TensorFlow's sigmoid_cross_entropy: smoothed targets, then max(x, 0) - x z + log(1 + exp(-|x|)), mean.
    Autograd's subgradients of max and abs at 0 do not add up to the true derivative there: keep the logits off 0."""
    z = y.to(torch.float64) * (1 - label_smoothing) + 0.5 * label_smoothing
    return (x.clamp(min=0) - x * z + torch.log1p(torch.exp(-x.abs()))).mean()


def main():
    torch.manual_seed(20240612)
    logits = (torch.randn(4, 5) * 2).to(torch.float32)
    labels = torch.tensor([3, 0, 4, 3])
    onehot = F.one_hot(labels, 5).to(torch.float32)
    distributions = torch.softmax(torch.randn(4, 5), dim=1).to(torch.float32)
    binary_logits = torch.tensor([[-30.0, -2.5, 0.125, 1.5], [0.25, 4.0, -0.75, 30.0], [3.0, -1.0, 2.0, -4.0]])
    binary_targets = torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 1.0], [0.25, 0.5, 0.0, 1.0]])
    predictions = torch.randn(2, 3, 2).to(torch.float32)
    targets = torch.randn(2, 3, 2).to(torch.float32)

    cases = [
        case("softmax_onehot", "SoftmaxCrossEntropy", logits, onehot,
             lambda x: F.cross_entropy(x, onehot.to(torch.float64))),
        case("softmax_onehot_smoothed", "SoftmaxCrossEntropy", logits, onehot,
             lambda x: F.cross_entropy(x, onehot.to(torch.float64), label_smoothing=0.1), 0.1),
        case("softmax_distributions_smoothed", "SoftmaxCrossEntropy", logits, distributions,
             lambda x: F.cross_entropy(x, distributions.to(torch.float64), label_smoothing=0.3), 0.3),
        case("sparse_softmax", "SparseSoftmaxCrossEntropy", logits, labels,
             lambda x: F.cross_entropy(x, labels)),
        case("sparse_softmax_smoothed", "SparseSoftmaxCrossEntropy", logits, labels,
             lambda x: F.cross_entropy(x, labels, label_smoothing=0.2), 0.2),
        case("sigmoid", "SigmoidCrossEntropy", binary_logits, binary_targets,
             lambda x: tf_sigmoid_cross_entropy(x, binary_targets, 0.0)),
        case("sigmoid_smoothed", "SigmoidCrossEntropy", binary_logits, binary_targets,
             lambda x: tf_sigmoid_cross_entropy(x, binary_targets, 0.2), 0.2),
        case("mean_squared_error", "MeanSquaredError", predictions, targets,
             lambda x: ((x - targets.to(torch.float64)) ** 2).mean()),
    ]
    # One case per line keeps diffs readable.
    lines = ",\n".join("    " + json.dumps(c) for c in cases)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write('{\n  "generator": "Tests/Fixtures/export_loss_fixtures.py",\n  "cases": [\n' + lines + "\n  ]\n}\n")


if __name__ == "__main__":
    main()
