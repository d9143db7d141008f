#!/usr/bin/python3
"""Writes the reference values the runtime layer tests compare against.

The references are computed here, independently of SlimGen: TensorFlow's SAME padding is
derived from its definition below (not from Shared/ShapeMath.cs), pools are evaluated window
by window over the real cells only, and batch norm and the activations are written out from
their formulas. Inputs are float32 (what the layers run in); references are computed in float64.

Run with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 Tests/Fixtures/export_layer_fixtures.py

It rewrites the JSON files in Tests/SlimGen.Runtime.Tests/Fixtures/; the output is deterministic.
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SlimGen.Runtime.Tests", "Fixtures")


def tensor32(t):
    """A float32 tensor, written with the shortest text that parses back to the same float32."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [str(np.float32(v)) for v in t.flatten().tolist()]}


def tensor64(t):
    """A float64 reference value."""
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [repr(v) for v in t.flatten().tolist()]}


def write(name, cases):
    """One JSON file per layer family; each tensor's data on one line so diffs stay readable."""
    lines = ["{", '  "generator": "Tests/Fixtures/export_layer_fixtures.py",', '  "cases": [']
    for i, case in enumerate(cases):
        lines.append("    {")
        items = list(case.items())
        for j, (key, value) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            if isinstance(value, dict) and "data" in value:
                data = ", ".join(value["data"])
                value_text = '{ "shape": %s, "data": [%s] }' % (json.dumps(value["shape"]), data)
            else:
                value_text = json.dumps(value)
            lines.append('      "%s": %s%s' % (key, value_text, comma))
        lines.append("    }" + ("," if i < len(cases) - 1 else ""))
    lines += ["  ]", "}", ""]
    with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


def tf_same_padding(size, kernel, stride):
    """TensorFlow: ceil(size / stride) outputs; the odd padded cell goes after (bottom / right)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def conv_case(name, n, c, h, w, out_channels, kernel, stride, padding, activation="None"):
    x = torch.randn(n, c, h, w)
    weight = torch.randn(out_channels, c, kernel, kernel) * 0.3
    bias = torch.randn(out_channels) * 0.1
    x64 = x.double()
    if padding == "Same":
        top, bottom = tf_same_padding(h, kernel, stride)
        left, right = tf_same_padding(w, kernel, stride)
        x64 = F.pad(x64, (left, right, top, bottom))
    y = F.conv2d(x64, weight.double(), bias.double(), stride=stride)
    if activation == "Relu":
        y = y.clamp(min=0)
    return {
        "name": name, "kernel": kernel, "stride": stride, "padding": padding, "activation": activation,
        "input": tensor32(x), "weight": tensor32(weight), "bias": tensor32(bias), "expected": tensor64(y),
    }


def conv_cases():
    return [
        conv_case("same_k3_s1_symmetric", 2, 3, 7, 7, 4, 3, 1, "Same"),
        conv_case("same_k3_s2_even_size_asymmetric", 2, 3, 8, 8, 4, 3, 2, "Same"),
        conv_case("same_k2_s1_even_kernel", 1, 2, 5, 6, 3, 2, 1, "Same"),
        conv_case("same_k3_s2_mixed_relu", 1, 3, 7, 6, 2, 3, 2, "Same", "Relu"),
        conv_case("same_k5_s3", 1, 2, 10, 11, 2, 5, 3, "Same"),
        conv_case("valid_k3_s2", 2, 3, 9, 9, 4, 3, 2, "Valid"),
    ]


def fully_connected_cases():
    cases = []
    for name, activation in (("linear", "None"), ("relu", "Relu")):
        x = torch.randn(4, 5)
        weight = torch.randn(3, 5) * 0.4
        bias = torch.randn(3) * 0.1
        y = x.double() @ weight.double().t() + bias.double()
        if activation == "Relu":
            y = y.clamp(min=0)
        cases.append({
            "name": name, "activation": activation,
            "input": tensor32(x), "weight": tensor32(weight), "bias": tensor32(bias), "expected": tensor64(y),
        })
    return cases


def pool_reference(x, kind, kernel, stride, padding):
    """Window by window over the real cells only: padding never wins a max nor counts in a mean."""
    n, c, h, w = x.shape
    if padding == "Same":
        (top, _), (left, _) = tf_same_padding(h, kernel, stride), tf_same_padding(w, kernel, stride)
        out_h, out_w = -(-h // stride), -(-w // stride)
    else:
        top = left = 0
        out_h, out_w = (h - kernel) // stride + 1, (w - kernel) // stride + 1
    y = torch.empty(n, c, out_h, out_w, dtype=torch.float64)
    for i in range(out_h):
        for j in range(out_w):
            r0, c0 = i * stride - top, j * stride - left
            window = x[:, :, max(r0, 0):min(r0 + kernel, h), max(c0, 0):min(c0 + kernel, w)].double()
            y[:, :, i, j] = window.amax(dim=(2, 3)) if kind == "Max" else window.mean(dim=(2, 3))
    return y


def pool_case(name, kind, shape, kernel, stride, padding, negative=False):
    x = torch.randn(*shape)
    if negative:
        x = -x.abs() - 1  # all below zero: a zero-padded max pool would be caught here
    return {
        "name": name, "kind": kind, "kernel": kernel, "stride": stride, "padding": padding,
        "input": tensor32(x), "expected": tensor64(pool_reference(x, kind, kernel, stride, padding)),
    }


def pool_cases():
    return [
        pool_case("max_same_k3_s2_asymmetric_negative", "Max", (2, 3, 8, 8), 3, 2, "Same", negative=True),
        pool_case("max_same_k2_s2_odd_size", "Max", (1, 2, 7, 7), 2, 2, "Same"),
        pool_case("max_same_k3_s1_symmetric_negative", "Max", (1, 2, 5, 5), 3, 1, "Same", negative=True),
        pool_case("max_valid_k2_s2", "Max", (1, 2, 6, 7), 2, 2, "Valid"),
        pool_case("avg_same_k3_s2_asymmetric", "Avg", (2, 3, 8, 8), 3, 2, "Same"),
        pool_case("avg_same_k2_s2_odd_size", "Avg", (1, 2, 7, 7), 2, 2, "Same"),
        pool_case("avg_same_k3_s1_symmetric", "Avg", (1, 2, 5, 5), 3, 1, "Same"),
        pool_case("avg_same_k3_s2_mixed", "Avg", (1, 2, 7, 6), 3, 2, "Same"),
        pool_case("avg_valid_k3_s2", "Avg", (1, 2, 7, 7), 3, 2, "Valid"),
    ]


def batch_norm_case(name, shape, training, momentum=0.1, eps=1e-5):
    channels = shape[1]
    x = torch.randn(*shape) * 2 + 0.5
    weight = torch.rand(channels) + 0.5
    bias = torch.randn(channels) * 0.2
    running_mean = torch.randn(channels) * 0.1
    running_var = torch.rand(channels) + 0.5
    reduce = [d for d in range(len(shape)) if d != 1]
    view = [1, channels] + [1] * (len(shape) - 2)
    x64 = x.double()
    if training:
        count = x.numel() // channels
        mean = x64.mean(dim=reduce)
        biased_var = ((x64 - mean.view(view)) ** 2).mean(dim=reduce)
        new_mean = (1 - momentum) * running_mean.double() + momentum * mean
        # PyTorch's running variance uses the unbiased estimate; the normalization uses the biased one.
        new_var = (1 - momentum) * running_var.double() + momentum * biased_var * count / (count - 1)
        tracked = 1
    else:
        mean, biased_var = running_mean.double(), running_var.double()
        new_mean, new_var, tracked = mean, biased_var, 0
    y = (x64 - mean.view(view)) / torch.sqrt(biased_var.view(view) + eps) * weight.double().view(view) + bias.double().view(view)
    return {
        "name": name, "training": training, "momentum": momentum, "epsilon": eps,
        "input": tensor32(x), "weight": tensor32(weight), "bias": tensor32(bias),
        "running_mean": tensor32(running_mean), "running_var": tensor32(running_var),
        "expected": tensor64(y), "expected_running_mean": tensor64(new_mean),
        "expected_running_var": tensor64(new_var), "expected_num_batches_tracked": tracked,
    }


def batch_norm_cases():
    return [
        batch_norm_case("nchw_training", (4, 3, 5, 5), True),
        batch_norm_case("nc_training", (8, 4), True),
        batch_norm_case("ncl_training_momentum_0.3", (3, 2, 6), True, momentum=0.3, eps=1e-3),
        batch_norm_case("nchw_eval", (4, 3, 5, 5), False),
    ]


def activation_cases():
    x = torch.tensor([[-7.5, -3.0, -1.0, -0.25, 0.0], [0.25, 1.0, 3.0, 5.5, 7.5], [-0.5, 0.5, 2.0, -2.0, 6.0]])
    x64 = x.double()
    erf = torch.special.erf if hasattr(torch, "special") else torch.erf
    sigmoid = 1 / (1 + torch.exp(-x64))
    exp = torch.exp(x64 - x64.amax(dim=1, keepdim=True))
    references = {
        "None": x64,
        "Relu": torch.where(x64 > 0, x64, torch.zeros_like(x64)),
        "Relu6": x64.clamp(0, 6),
        "LeakyRelu": torch.where(x64 > 0, x64, 0.2 * x64),
        "Elu": torch.where(x64 > 0, x64, torch.exp(x64) - 1),
        "Gelu": 0.5 * x64 * (1 + erf(x64 / math.sqrt(2))),
        "Silu": x64 * sigmoid,
        "Sigmoid": sigmoid,
        "Tanh": (torch.exp(x64) - torch.exp(-x64)) / (torch.exp(x64) + torch.exp(-x64)),
        "Softmax": exp / exp.sum(dim=1, keepdim=True),
    }
    return [{"name": name, "input": tensor32(x), "expected": tensor64(y)} for name, y in references.items()]


def main():
    torch.manual_seed(20240611)
    os.makedirs(OUT_DIR, exist_ok=True)
    write("conv2d.json", conv_cases())
    write("fully_connected.json", fully_connected_cases())
    write("pool2d.json", pool_cases())
    write("batch_norm.json", batch_norm_cases())
    write("activations.json", activation_cases())


if __name__ == "__main__":
    main()
