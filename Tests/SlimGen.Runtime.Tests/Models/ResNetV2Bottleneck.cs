using static SlimGen.Op;

namespace SlimGen.Runtime.Tests.Models;

/// <summary>
/// TF-Slim's ResNet v2 unit (nets/resnet_v2.py's bottleneck): a pre-activation batch norm, 1x1, 3x3 with the unit's
/// stride, 1x1 with a bias and no normalizer; TF-Slim's subsampling shortcut, or a projection of the pre-activation.
/// </summary>
[SlimBlock("depth", "bottleneck")]
[ArgScope(Conv2d, Normalizer = Norm.BatchNorm, Padding = Pad.Symmetric)]
[Residual(Shortcut = Shortcut.Subsample, Preactivation = true)]
[BatchNorm(Activation = Act.Relu, Scope = "preact")]
[Conv2d("bottleneck", 1, Scope = "conv1")]
[Conv2d("bottleneck", 3, Strided = true, Scope = "conv2")]
[Conv2d("depth", 1, Normalizer = Norm.None, Activation = Act.None, Scope = "conv3")]
public sealed partial class ResNetV2Bottleneck { }
