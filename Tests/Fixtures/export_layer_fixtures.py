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


def pair(value):
    return list(value) if isinstance(value, (tuple, list)) else [value, value]


def window_padding(size, kernel, stride, dilation, padding, padding_size):
    """(before, after) along one dimension: TensorFlow's SAME for the dilated extent, PyTorch's symmetric, or none."""
    extent = dilation * (kernel - 1) + 1
    if padding == "Same":
        return tf_same_padding(size, extent, stride)
    if padding == "Symmetric":
        p = padding_size if padding_size is not None else dilation * (kernel - 1) // 2
        return p, p
    return 0, 0


def conv_window_case(name, shape, out_channels, kernel, stride=1, padding="Same", padding_size=None, dilation=1,
                     multiplier=None):
    """A convolution in float64 with explicit padding; multiplier set: depthwise (groups = in channels).

    Also the input and weight gradients of sum(output * upstream), from float64 autograd."""
    n, c, h, w = shape
    kernel, stride, dilation = pair(kernel), pair(stride), pair(dilation)
    size = pair(padding_size) if padding_size is not None else [None, None]
    groups = c if multiplier is not None else 1
    out_channels = c * multiplier if multiplier is not None else out_channels
    x = torch.randn(*shape)
    weight = torch.randn(out_channels, c // groups, *kernel) * 0.3
    bias = torch.randn(out_channels) * 0.1
    top, bottom = window_padding(h, kernel[0], stride[0], dilation[0], padding, size[0])
    left, right = window_padding(w, kernel[1], stride[1], dilation[1], padding, size[1])
    x64 = x.double().requires_grad_()
    w64 = weight.double().requires_grad_()
    y = F.conv2d(F.pad(x64, (left, right, top, bottom)), w64, bias.double(), stride=stride, dilation=dilation, groups=groups)
    upstream = torch.randn(y.shape)
    (y * upstream.double()).sum().backward()
    return {
        "name": name, "kind": "Depthwise" if multiplier is not None else "Conv", "multiplier": multiplier or 0,
        "kernel": kernel, "stride": stride, "padding": padding,
        "padding_size": pair(padding_size) if padding_size is not None else None, "dilation": dilation,
        "input": tensor32(x), "weight": tensor32(weight), "bias": tensor32(bias), "expected": tensor64(y),
        "upstream": tensor32(upstream), "expected_input_grad": tensor64(x64.grad), "expected_weight_grad": tensor64(w64.grad),
    }


def conv_window_cases():
    return [
        conv_window_case("symmetric_k1x7", (1, 3, 7, 8), 4, (1, 7), padding="Symmetric"),
        conv_window_case("symmetric_k7x1", (1, 3, 7, 8), 4, (7, 1), padding="Symmetric"),
        # SAME would pad (0, 1) here; PyTorch's padding 1 on both sides shifts every window.
        conv_window_case("symmetric_k3_s2_differs_from_same", (2, 3, 8, 8), 4, 3, stride=2, padding="Symmetric"),
        conv_window_case("alexnet_conv1_k11_s4_p2", (1, 3, 23, 26), 4, 11, stride=4, padding="Symmetric", padding_size=2),
        conv_window_case("symmetric_k3_d2", (1, 3, 7, 7), 4, 3, padding="Symmetric", dilation=2),
        conv_window_case("same_k3_d2_s2_asymmetric", (1, 3, 8, 9), 4, 3, stride=2, padding="Same", dilation=2),
        conv_window_case("valid_k2x3_s2x1_d2x1", (1, 2, 9, 8), 3, (2, 3), stride=(2, 1), padding="Valid", dilation=(2, 1)),
        # Channel counts off oneDNN's block of 16: the CPU workaround's padded path, with dilation.
        conv_window_case("same_k3x1_d2x1_tail_channels", (1, 17, 6, 5), 17, (3, 1), padding="Same", dilation=(2, 1)),
        conv_window_case("depthwise_m1_k3_same", (1, 4, 6, 7), None, 3, padding="Same", multiplier=1),
        conv_window_case("depthwise_m2_k3_s2_symmetric", (2, 3, 9, 8), None, 3, stride=2, padding="Symmetric", multiplier=2),
        conv_window_case("depthwise_m2_k3_s2_same_asymmetric", (1, 3, 8, 8), None, 3, stride=2, padding="Same", multiplier=2),
        conv_window_case("depthwise_m1_k3_d2_symmetric_tail_channels", (1, 17, 6, 6), None, 3, padding="Symmetric",
                         dilation=2, multiplier=1),
    ]


def symmetric_pool_reference(x, kind, kernel, stride, padding_size):
    """PyTorch's symmetric padding, window by window: a max over the real cells, a mean over all k*k cells."""
    n, c, h, w = x.shape
    kh, kw = kernel
    ph, pw = padding_size if padding_size is not None else ((kh - 1) // 2, (kw - 1) // 2)
    out_h, out_w = (h + 2 * ph - kh) // stride[0] + 1, (w + 2 * pw - kw) // stride[1] + 1
    y = torch.empty(n, c, out_h, out_w, dtype=torch.float64)
    for i in range(out_h):
        for j in range(out_w):
            r0, c0 = i * stride[0] - ph, j * stride[1] - pw
            window = x[:, :, max(r0, 0):min(r0 + kh, h), max(c0, 0):min(c0 + kw, w)].double()
            y[:, :, i, j] = window.amax(dim=(2, 3)) if kind == "Max" else window.sum(dim=(2, 3)) / (kh * kw)
    return y


def symmetric_pool_case(name, kind, shape, kernel, stride, padding_size=None, negative=False):
    x = torch.randn(*shape)
    if negative:
        x = -x.abs() - 1
    kernel, stride = pair(kernel), pair(stride)
    return {
        "name": name, "kind": kind, "kernel": kernel, "stride": stride, "padding": "Symmetric",
        "padding_size": pair(padding_size) if padding_size is not None else None,
        "input": tensor32(x), "expected": tensor64(symmetric_pool_reference(x, kind, kernel, stride, padding_size)),
    }


def symmetric_pool_cases():
    return [
        symmetric_pool_case("max_k3_s1_negative", "Max", (1, 2, 5, 6), 3, 1, negative=True),
        symmetric_pool_case("max_k3_s2_resnet_stem", "Max", (2, 3, 8, 8), 3, 2, negative=True),
        symmetric_pool_case("avg_k3_s1_counts_padding", "Avg", (1, 2, 5, 6), 3, 1),
        symmetric_pool_case("avg_k3_s2_counts_padding", "Avg", (2, 3, 7, 8), 3, 2),
        symmetric_pool_case("avg_k1x3_s1_p0x1", "Avg", (1, 2, 4, 5), (1, 3), 1, padding_size=(0, 1)),
    ]


def global_avg_pool_cases():
    cases = []
    for name, shape in (("n2_c3_5x7", (2, 3, 5, 7)), ("n1_c4_1x1", (1, 4, 1, 1)), ("n3_c2_8x8", (3, 2, 8, 8))):
        x = torch.randn(*shape)
        y = x.double().sum(dim=(2, 3), keepdim=True) / (shape[2] * shape[3])
        cases.append({"name": name, "input": tensor32(x), "expected": tensor64(y)})
    return cases


def batch_norm_no_scale_cases():
    """TF-Slim's batch_norm(scale=False): gamma is 1; the cases drop the weight after drawing it."""
    cases = []
    for name, training in (("nchw_training_no_scale", True), ("nchw_eval_no_scale", False)):
        case = batch_norm_case(name, (4, 3, 5, 5), training)
        x64 = torch.tensor([float(v) for v in case["input"]["data"]], dtype=torch.float64).view(case["input"]["shape"])
        bias = torch.tensor([float(v) for v in case["bias"]["data"]], dtype=torch.float64).view(1, -1, 1, 1)
        if training:
            mean = x64.mean(dim=(0, 2, 3), keepdim=True)
            var = ((x64 - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        else:
            mean = torch.tensor([float(v) for v in case["running_mean"]["data"]], dtype=torch.float64).view(1, -1, 1, 1)
            var = torch.tensor([float(v) for v in case["running_var"]["data"]], dtype=torch.float64).view(1, -1, 1, 1)
        del case["weight"]
        case["expected"] = tensor64((x64 - mean) / torch.sqrt(var + case["epsilon"]) + bias)
        cases.append(case)
    return cases


def main():
    torch.manual_seed(20240611)
    os.makedirs(OUT_DIR, exist_ok=True)
    write("conv2d.json", conv_cases())
    write("fully_connected.json", fully_connected_cases())
    write("pool2d.json", pool_cases())
    write("batch_norm.json", batch_norm_cases())
    write("activations.json", activation_cases())
    # Later additions, after the files above so that their random draws stay as they were.
    write("conv2d_windows.json", conv_window_cases())
    write("pool2d_symmetric.json", symmetric_pool_cases())
    write("global_avg_pool.json", global_avg_pool_cases())
    write("batch_norm_no_scale.json", batch_norm_no_scale_cases())


if __name__ == "__main__":
    main()
