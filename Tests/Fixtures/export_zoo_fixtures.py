#!/usr/bin/python3
"""Writes the PyTorch fixtures for the zoo models in torchvision's layout (ResNet, GoogLeNet, Inception V3,
MobileNetV2, AlexNet): key layouts of the full models, and small blocks built from torchvision's own classes.

Committed fixtures (Tests/SlimGen.Runtime.Tests/Fixtures/zoo/):

- torchvision_zoo_layout.json: for resnet18, resnet50, googlenet (aux_logits=False), inception_v3
  (aux_logits=False), inception_v3_aux (aux_logits=True), mobilenet_v2 and alexnet, built with weights=None:
  the constructor, parameter_count (sum of numel over model.parameters(), checked below against the counts
  torchvision documents) and state_dict, every key in order as [key, shape, dtype] with safetensors dtype
  names ("F32", and "I64" for num_batches_tracked).
- <block>.safetensors: the state_dict of one block built with torchvision's own module class (float32, the
  int64 num_batches_tracked included), in torchvision's key layout, so a name map from it is the name map
  of the full model's blocks. Convolutions have He-normal weights; every batch norm has random gamma, beta,
  running mean and variance and num_batches_tracked = 7 (fixture_io.randomize_batch_norm).
- <block>.io.safetensors:
    input          [2, C, H, W]
    eval_output    the block in eval mode
    loss_weights   R, a fixed random tensor shaped like the output
    train_output   the block in train mode (batch statistics), on a copy of the eval-mode weights
    grad_input     d loss / d input, where loss = (train_output * R).sum()
    grad.<key>     d loss / d parameter, for every parameter key of the state_dict
    running_mean.<bn>, running_var.<bn>
                   each batch norm's running statistics after that one train-mode forward (momentum 0.1,
                   PyTorch's update: running_var takes the unbiased batch variance, n / (n - 1))
- blocks.json: per block, the torchvision constructor, the input and output shapes and the state_dict keys.

The blocks (H = W = 9, or 10 for the stride-2 ResNet and MobileNetV2 blocks: at an even size a 3x3
convolution at stride 2 with torchvision's symmetric padding 1 differs from TensorFlow's SAME padding,
which pads 0 before and 1 after; at odd sizes the two agree, so the even size is the one that tells them apart):

    resnet_basic_block                 BasicBlock(8, 8), identity shortcut                      [2, 8, 9, 9]
    resnet_basic_block_downsample      BasicBlock(8, 16, stride=2, downsample=conv1x1 + BN)     [2, 8, 10, 10]
    resnet_bottleneck                  Bottleneck(16, 4), identity (expansion 4: 16 out)        [2, 16, 9, 9]
    resnet_bottleneck_downsample       Bottleneck(8, 4, stride=2, downsample=conv1x1 + BN)      [2, 8, 10, 10]
    googlenet_inception                googlenet.Inception(8, 4, 4, 6, 2, 4, 4)                 [2, 8, 9, 9]
    inception_v3_a .. inception_v3_e   InceptionA(8, pool_features=4), InceptionB(8),
                                       InceptionC(8, channels_7x7=4), InceptionD(8), InceptionE(8),
                                       internal widths divided by 16 (see below)                [2, 8, 9, 9]
    mobilenet_v2_expand_stride2        InvertedResidual(8, 16, stride=2, expand_ratio=6)        [2, 8, 10, 10]
    mobilenet_v2_expand_residual       InvertedResidual(16, 16, stride=1, expand_ratio=6)       [2, 16, 9, 9]
    mobilenet_v2_no_expansion          InvertedResidual(8, 8, stride=1, expand_ratio=1)         [2, 8, 9, 9]

Notes on the torchvision modules, which a port must follow:
- ResNet's Bottleneck strides its 3x3 convolution (ResNet V1.5), the downsample is conv1x1(stride) + BN.
- googlenet.Inception's "5x5" branch (branch3) uses a 3x3 kernel (padding 1), a known torchvision bug kept
  for its weights (pytorch/vision#906); its pool branch is MaxPool2d(3, stride=1, padding=1, ceil_mode=True).
  The full GoogLeNet's stride-2 max pools use ceil_mode=True too.
- GoogLeNet's and Inception V3's BasicConv2d: conv without bias, BatchNorm2d(eps=0.001), ReLU.
  ResNet's and MobileNetV2's batch norms keep eps=1e-5. All use momentum 0.1.
- InceptionA, C and E pool with F.avg_pool2d(3, stride=1, padding=1), which counts the zero padding
  (count_include_pad=True), unlike TF-Slim's SAME average pooling; InceptionB and D max pool 3x3 at stride 2
  without padding, as their stride-2 convolutions are unpadded.
- InceptionA..E have fixed internal widths (48, 64, 96, 192, 320, 384, 448). At those widths the blocks at
  8 input channels would take 0.87 MB (A), 0.68 MB (B), 5.6 MB (D) and 13.4 MB (E) of float32 weights,
  and as much again in gradients, so the fixtures build them with torchvision's own classes through their
  conv_block argument, a BasicConv2d whose fixed widths are divided by 16 (48 -> 3, 64 -> 4, 96 -> 6,
  192 -> 12, 320 -> 20, 384 -> 24, 448 -> 28); the block's in_channels and the pool_features and
  channels_7x7 arguments are kept. The keys and the forward are torchvision's; the full-width blocks are
  checked by the --full mode below.
- MobileNetV2's InvertedResidual: Conv2dNormActivation with ReLU6; the residual add only when stride == 1
  and in == out.

References come from float64: the float32 weights are copied into model.double(), the float32 input and R
are widened, and the float64 results are stored rounded to float32. So the references are the exact
results for the stored float32 weights, independent of the float32 kernels (and their summation orders)
of the CPU that ran this script; a float32 implementation is compared with them under a tolerance. PyTorch's
own float32 results lie within 1.5e-6 of the block references and 2.5e-5 of the full-model eval outputs,
relative to each tensor's largest magnitude (the script prints these as it runs).

Run with Debian's PyTorch (apt-get install python3-torch python3-torchvision), no downloads needed:

    /usr/bin/python3 Tests/Fixtures/export_zoo_fixtures.py

It rewrites Tests/SlimGen.Runtime.Tests/Fixtures/zoo/ with one thread and fixed seeds; the output is
deterministic (byte for byte on a machine; on another CPU a float64 result could in rare cases round to a
neighbouring float32).

Full-size check mode (not committed; about 0.7 GB for all models, a minute or two on a few CPU cores):

    /usr/bin/python3 Tests/Fixtures/export_zoo_fixtures.py --full OUT_DIR [--models resnet18,resnet50,...]

writes, for each model (default all: resnet18, resnet50, googlenet, inception_v3, inception_v3_aux,
mobilenet_v2, alexnet, torchvision constructors as in torchvision_zoo_layout.json):
- <model>.safetensors: random weights in torchvision's layout: He-normal convolutions, linear layers
  N(0, 1/fan_in) with N(0, 0.01) biases, batch norms with random gamma and beta whose running statistics are
  calibrated on a random batch (so the eval-mode activations stay of order one through the whole network)
  and num_batches_tracked = 7.
- <model>.io.safetensors: input [2, 3, 224, 224] ([2, 3, 299, 299] for Inception V3), eval_output,
  loss_weights, train_output, grad_input, grad.<key> for the first convolution's weight and the last linear
  layer's weight and bias, and running_mean.<bn> / running_var.<bn> of the first batch norm after the
  train-mode forward (none for AlexNet). inception_v3_aux adds aux_output (the AuxLogits head, returned in
  train mode only), aux_loss_weights and grad.AuxLogits.fc.weight; its loss is
  (train_output * loss_weights).sum() + (aux_output * aux_loss_weights).sum().
  The train step switches the Dropout layers off (eval mode) so that it is deterministic: a port compares
  with dropout disabled. All references are float64 results rounded to float32.
With weights=None torchvision builds googlenet and inception_v3 with transform_input=False, as here; with
its ImageNet weights it sets transform_input=True, which rescales the ImageNet-normalized input channels to
[-1, 1] normalization before the first convolution. The C# tests read these files when an environment
variable points at OUT_DIR.
"""

import argparse
import copy
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models import inception, mobilenetv2, resnet
from torchvision.models.googlenet import Inception as GoogLeNetInception  # torchvision.models.googlenet is the function

from fixture_io import SAFETENSORS_DTYPES, randomize_batch_norm, save_safetensors

GENERATOR = "Tests/Fixtures/export_zoo_fixtures.py"
ZOO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SlimGen.Runtime.Tests", "Fixtures", "zoo")

# name -> (constructor as written in the fixtures, factory, parameter count documented by torchvision, input size)
FULL_MODELS = {
    "resnet18": ("torchvision.models.resnet18(weights=None)", lambda: torchvision.models.resnet18(weights=None), 11_689_512, 224),
    "resnet50": ("torchvision.models.resnet50(weights=None)", lambda: torchvision.models.resnet50(weights=None), 25_557_032, 224),
    "googlenet": ("torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False)",
                  lambda: torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False), 6_624_904, 224),
    "inception_v3": ("torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False)",
                     lambda: torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False), 23_834_568, 299),
    "inception_v3_aux": ("torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=False)",
                         lambda: torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=False), 27_161_264, 299),
    "mobilenet_v2": ("torchvision.models.mobilenet_v2(weights=None)", lambda: torchvision.models.mobilenet_v2(weights=None), 3_504_872, 224),
    "alexnet": ("torchvision.models.alexnet(weights=None)", lambda: torchvision.models.alexnet(weights=None), 61_100_840, 224),
    "resnext50_32x4d": ("torchvision.models.resnext50_32x4d(weights=None)", lambda: torchvision.models.resnext50_32x4d(weights=None), 25_028_904, 224),
}

# Parameters whose gradients the --full mode stores: the first convolution's weight, the last linear layer.
FULL_GRADIENTS = {
    "resnet18": ["conv1.weight", "fc.weight", "fc.bias"],
    "resnet50": ["conv1.weight", "fc.weight", "fc.bias"],
    "googlenet": ["conv1.conv.weight", "fc.weight", "fc.bias"],
    "inception_v3": ["Conv2d_1a_3x3.conv.weight", "fc.weight", "fc.bias"],
    "inception_v3_aux": ["Conv2d_1a_3x3.conv.weight", "AuxLogits.fc.weight", "fc.weight", "fc.bias"],
    "mobilenet_v2": ["features.0.0.weight", "classifier.1.weight", "classifier.1.bias"],
    "alexnet": ["features.0.weight", "classifier.6.weight", "classifier.6.bias"],
    "resnext50_32x4d": ["conv1.weight", "fc.weight", "fc.bias"],
}

# Inception V3's fixed internal widths, divided by 16 in the block fixtures.
INCEPTION_V3_WIDTHS = {48, 64, 96, 192, 320, 384, 448}
INCEPTION_V3_WIDTH_DIVISOR = 16


def narrow_inception_conv(in_channels, out_channels, **kwargs):
    """torchvision's inception.BasicConv2d with Inception V3's fixed widths divided by 16."""
    def narrow(c):
        return c // INCEPTION_V3_WIDTH_DIVISOR if c in INCEPTION_V3_WIDTHS else c
    return inception.BasicConv2d(narrow(in_channels), narrow(out_channels), **kwargs)


def downsample(in_channels, out_channels, stride):
    return nn.Sequential(resnet.conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))


# name -> (constructor as written in the fixtures, factory, input shape)
class ConvWithBatchNorm(nn.Module):
    """SlimGen's convolution with a batch-norm normalizer and ReLU (keys 'weight' and 'bn.*'), PyTorch's k // 2 padding."""

    def __init__(self, in_channels, out_channels, kernel, stride=1):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel, kernel) * (2.0 / (in_channels * kernel * kernel)) ** 0.5)
        self.bn = nn.BatchNorm2d(out_channels)
        self.stride, self.padding = stride, kernel // 2

    def forward(self, x):
        return F.relu(self.bn(F.conv2d(x, self.weight, stride=self.stride, padding=self.padding)))


class ResNetV2Bottleneck(nn.Module):
    """TF-Slim's resnet_v2.bottleneck (nets/resnet_v2.py), pre-activation, written here in PyTorch from its definition:
    preact = relu(batch_norm(inputs)); the shortcut is subsample(inputs, stride) (a 1x1 max pool) when the depth is
    kept, else a 1x1 convolution of preact with a bias and no normalizer; the residual is conv1 (1x1), conv2d_same
    (3x3 at the stride: padding 1 on both sides) and conv3 (1x1 with a bias, no normalizer, no activation); the output
    is shortcut + residual, with no activation after the add. Keys are named as SlimGen's block names them."""

    def __init__(self, depth_in, depth, depth_bottleneck, stride):
        super().__init__()
        self.preact = nn.BatchNorm2d(depth_in)
        self.conv1 = ConvWithBatchNorm(depth_in, depth_bottleneck, 1)
        self.conv2 = ConvWithBatchNorm(depth_bottleneck, depth_bottleneck, 3, stride)
        self.conv3 = nn.Conv2d(depth_bottleneck, depth, 1)
        self.shortcut = nn.Conv2d(depth_in, depth, 1, stride=stride) if depth != depth_in else None
        self.stride = stride

    def forward(self, x):
        preact = F.relu(self.preact(x))
        if self.shortcut is not None:
            shortcut = self.shortcut(preact)
        else:
            shortcut = F.max_pool2d(x, 1, self.stride) if self.stride > 1 else x
        return shortcut + self.conv3(self.conv2(self.conv1(preact)))


BLOCKS = {
    "resnet_basic_block": ("torchvision.models.resnet.BasicBlock(8, 8)",
                           lambda: resnet.BasicBlock(8, 8), [2, 8, 9, 9]),
    "resnet_basic_block_downsample": ("torchvision.models.resnet.BasicBlock(8, 16, stride=2, downsample=nn.Sequential(conv1x1(8, 16, 2), nn.BatchNorm2d(16)))",
                                      lambda: resnet.BasicBlock(8, 16, stride=2, downsample=downsample(8, 16, 2)), [2, 8, 10, 10]),
    "resnet_bottleneck": ("torchvision.models.resnet.Bottleneck(16, 4)",
                          lambda: resnet.Bottleneck(16, 4), [2, 16, 9, 9]),
    "resnet_bottleneck_downsample": ("torchvision.models.resnet.Bottleneck(8, 4, stride=2, downsample=nn.Sequential(conv1x1(8, 16, 2), nn.BatchNorm2d(16)))",
                                     lambda: resnet.Bottleneck(8, 4, stride=2, downsample=downsample(8, 16, 2)), [2, 8, 10, 10]),
    # torchvision's "5x5" branch (branch3) has a 3x3 kernel: pytorch/vision#906.
    "googlenet_inception": ("torchvision.models.googlenet.Inception(in_channels=8, ch1x1=4, ch3x3red=4, ch3x3=6, ch5x5red=2, ch5x5=4, pool_proj=4, conv_block=None)",
                            lambda: GoogLeNetInception(8, 4, 4, 6, 2, 4, 4, conv_block=None), [2, 8, 9, 9]),
    "inception_v3_a": ("torchvision.models.inception.InceptionA(8, pool_features=4, conv_block=BasicConv2d with fixed widths / 16)",
                       lambda: inception.InceptionA(8, pool_features=4, conv_block=narrow_inception_conv), [2, 8, 9, 9]),
    "inception_v3_b": ("torchvision.models.inception.InceptionB(8, conv_block=BasicConv2d with fixed widths / 16)",
                       lambda: inception.InceptionB(8, conv_block=narrow_inception_conv), [2, 8, 9, 9]),
    "inception_v3_c": ("torchvision.models.inception.InceptionC(8, channels_7x7=4, conv_block=BasicConv2d with fixed widths / 16)",
                       lambda: inception.InceptionC(8, channels_7x7=4, conv_block=narrow_inception_conv), [2, 8, 9, 9]),
    "inception_v3_d": ("torchvision.models.inception.InceptionD(8, conv_block=BasicConv2d with fixed widths / 16)",
                       lambda: inception.InceptionD(8, conv_block=narrow_inception_conv), [2, 8, 9, 9]),
    "inception_v3_e": ("torchvision.models.inception.InceptionE(8, conv_block=BasicConv2d with fixed widths / 16)",
                       lambda: inception.InceptionE(8, conv_block=narrow_inception_conv), [2, 8, 9, 9]),
    "mobilenet_v2_expand_stride2": ("torchvision.models.mobilenetv2.InvertedResidual(8, 16, stride=2, expand_ratio=6)",
                                    lambda: mobilenetv2.InvertedResidual(8, 16, stride=2, expand_ratio=6), [2, 8, 10, 10]),
    "mobilenet_v2_expand_residual": ("torchvision.models.mobilenetv2.InvertedResidual(16, 16, stride=1, expand_ratio=6)",
                                     lambda: mobilenetv2.InvertedResidual(16, 16, stride=1, expand_ratio=6), [2, 16, 9, 9]),
    "mobilenet_v2_no_expansion": ("torchvision.models.mobilenetv2.InvertedResidual(8, 8, stride=1, expand_ratio=1)",
                                  lambda: mobilenetv2.InvertedResidual(8, 8, stride=1, expand_ratio=1), [2, 8, 9, 9]),
    # Not torchvision's: TF-Slim's ResNet v2 unit, written above from its definition (nets/resnet_v2.py).
    "resnet_v2_bottleneck_projection": ("ResNetV2Bottleneck(depth_in=8, depth=16, depth_bottleneck=4, stride=2)",
                                        lambda: ResNetV2Bottleneck(8, 16, 4, 2), [2, 8, 10, 10]),
    "resnet_v2_bottleneck_subsample": ("ResNetV2Bottleneck(depth_in=16, depth=16, depth_bottleneck=4, stride=2)",
                                       lambda: ResNetV2Bottleneck(16, 16, 4, 2), [2, 16, 10, 10]),
    "resnext_bottleneck": ("torchvision.models.resnet.Bottleneck(64, 16, groups=32, base_width=4)",
                           lambda: resnet.Bottleneck(64, 16, groups=32, base_width=4), [2, 64, 9, 9]),
}


def key_layout(state):
    return [[key, list(value.shape), SAFETENSORS_DTYPES[value.dtype]] for key, value in state.items()]


def write_json(path, entries):
    """One top-level entry per model or block, one state_dict key per line, so that diffs stay readable."""
    def entry(name, value):
        fields = []
        for field, item in value.items():
            if field == "state_dict":
                fields.append('    "state_dict": [\n%s\n    ]' % ",\n".join("      " + json.dumps(key) for key in item))
            else:
                fields.append("    %s: %s" % (json.dumps(field), json.dumps(item)))
        return "  %s: {\n%s\n  }" % (json.dumps(name), ",\n".join(fields))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{\n  "generator": "%s",\n  "torchvision": "%s",\n' % (GENERATOR, torchvision.__version__))
        f.write(",\n".join(entry(name, value) for name, value in entries.items()))
        f.write("\n}\n")


def torchvision_zoo_layout():
    layout = {}
    for name, (constructor, factory, expected_count, _) in FULL_MODELS.items():
        model = factory()
        count = sum(p.numel() for p in model.parameters())
        if count != expected_count:
            raise SystemExit("%s has %d parameters, torchvision documents %d" % (name, count, expected_count))
        layout[name] = {"constructor": constructor, "parameter_count": count, "state_dict": key_layout(model.state_dict())}
        print("%-17s %11d parameters, %4d state_dict keys" % (name, count, len(layout[name]["state_dict"])))
        del model
    write_json(os.path.join(ZOO_DIR, "torchvision_zoo_layout.json"), layout)


def randomize(model):
    """He-normal convolutions, N(0, 1/fan_in) linear weights, N(0, 0.01) biases, random batch norms."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                gain = 2.0 if isinstance(module, nn.Conv2d) else 1.0
                module.weight.copy_(torch.randn_like(module.weight) * (gain / fan_in) ** 0.5)
                if module.bias is not None:
                    module.bias.copy_(torch.randn_like(module.bias) * 0.01)
            elif isinstance(module, nn.BatchNorm2d):
                randomize_batch_norm(module)


def batch_norms(model):
    return [(name, module) for name, module in model.named_modules() if isinstance(module, nn.BatchNorm2d)]


def outputs_of(result):
    """(logits, aux logits or None) from a torchvision forward in either mode."""
    if isinstance(result, tuple):  # InceptionOutputs in train mode with aux_logits
        return result[0], result[1]
    return result, None


def references(model32, x32, weights32, aux_weights32=None, gradient_keys=None, running_stats_of=None):
    """Eval output, then one train-mode forward and backward, computed in float64 on a copy of the weights."""
    model = copy.deepcopy(model32).double()
    x = x32.double()
    model.eval()
    with torch.no_grad():
        eval_output, _ = outputs_of(model(x))
    model.train()
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.eval()  # the train step is deterministic: no dropout
    x = x.clone().requires_grad_(True)
    train_output, aux_output = outputs_of(model(x))
    loss = (train_output * weights32.double()).sum()
    if aux_output is not None:
        loss = loss + (aux_output * aux_weights32.double()).sum()
    loss.backward()
    result = {"input": x32, "eval_output": eval_output, "loss_weights": weights32, "train_output": train_output}
    if aux_output is not None:
        result["aux_output"] = aux_output
        result["aux_loss_weights"] = aux_weights32
    result["grad_input"] = x.grad
    parameters = dict(model.named_parameters())
    for key in gradient_keys if gradient_keys is not None else parameters:
        result["grad." + key] = parameters[key].grad
    for name, bn in batch_norms(model):
        if running_stats_of is None or name in running_stats_of:
            result["running_mean." + name] = bn.running_mean
            result["running_var." + name] = bn.running_var
    return {name: t.detach().float() for name, t in result.items()}


def float32_difference(model32, x32, reference):
    """Largest |float32 eval output - float64 reference| relative to the output's scale, printed as a check."""
    model = copy.deepcopy(model32).eval()
    with torch.no_grad():
        y, _ = outputs_of(model(x32))
    return ((y - reference["eval_output"]).abs().max() / reference["eval_output"].abs().max()).item()


def export_block(name, seed, constructor, factory, input_shape, manifest):
    torch.manual_seed(seed)
    model = factory()
    randomize(model)
    model.eval()
    x = torch.randn(*input_shape)
    with torch.no_grad():
        output_shape = list(model(x).shape)
    weights = torch.randn(*output_shape)
    reference = references(model, x, weights)
    metadata = {"module": constructor, "generator": GENERATOR}
    save_safetensors(model.state_dict(), os.path.join(ZOO_DIR, name + ".safetensors"), metadata)
    save_safetensors(reference, os.path.join(ZOO_DIR, name + ".io.safetensors"), {**metadata, "references": "float64, rounded to float32"})
    manifest[name] = {"module": constructor, "input": input_shape, "output": output_shape, "state_dict": key_layout(model.state_dict())}
    print("%-30s %-16s -> %-16s float32 vs float64: %.1e" % (name, input_shape, output_shape, float32_difference(model, x, reference)))


def calibrate_batch_norms(model, size, batches=2):
    """Running statistics from a train-mode pass over a random batch (momentum 1, no dropout): the eval-mode
    activations of a deep random network then stay of order one."""
    norms = batch_norms(model)
    if not norms:
        return
    for _, bn in norms:
        bn.momentum = 1.0
    model.train()
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.eval()
    with torch.no_grad():
        model(torch.randn(batches, 3, size, size))
    for _, bn in norms:
        bn.momentum = 0.1
        bn.num_batches_tracked.fill_(7)
    model.eval()


def export_full(out_dir, names):
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        constructor, factory, expected_count, size = FULL_MODELS[name]
        torch.manual_seed(3000 + list(FULL_MODELS).index(name))  # the same weights whichever models are chosen
        model = factory()
        assert sum(p.numel() for p in model.parameters()) == expected_count
        randomize(model)
        calibrate_batch_norms(model, size)
        model.eval()
        x = torch.randn(2, 3, size, size)
        weights = torch.randn(2, 1000)
        aux_weights = torch.randn(2, 1000) if name == "inception_v3_aux" else None
        norms = batch_norms(model)
        reference = references(model, x, weights, aux_weights, FULL_GRADIENTS[name], {norms[0][0]} if norms else set())
        metadata = {"module": constructor, "generator": GENERATOR}
        save_safetensors(model.state_dict(), os.path.join(out_dir, name + ".safetensors"), metadata)
        save_safetensors(reference, os.path.join(out_dir, name + ".io.safetensors"), {**metadata, "references": "float64, rounded to float32"})
        print("%-17s %s float32 vs float64: %.1e, tensors: %s" % (name, list(x.shape), float32_difference(model, x, reference), ", ".join(reference)), flush=True)


def main():
    parser = argparse.ArgumentParser(description="Writes the zoo fixtures (see the module docstring).")
    parser.add_argument("--full", metavar="OUT_DIR", help="write full-size torchvision models and references to OUT_DIR instead")
    parser.add_argument("--models", default=",".join(FULL_MODELS), help="with --full: comma-separated subset of " + ", ".join(FULL_MODELS))
    args = parser.parse_args()
    if args.full:
        names = [n.strip() for n in args.models.split(",") if n.strip()]
        unknown = [n for n in names if n not in FULL_MODELS]
        if unknown:
            parser.error("unknown models: " + ", ".join(unknown))
        export_full(args.full, names)
        return
    torch.set_num_threads(1)  # one summation order, whatever the machine's core count
    os.makedirs(ZOO_DIR, exist_ok=True)
    torchvision_zoo_layout()
    manifest = {}
    for index, (name, (constructor, factory, input_shape)) in enumerate(BLOCKS.items()):
        export_block(name, 1300 + index, constructor, factory, input_shape, manifest)
    write_json(os.path.join(ZOO_DIR, "blocks.json"), manifest)


if __name__ == "__main__":
    main()
