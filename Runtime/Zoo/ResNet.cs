using static SlimGen.Op;

namespace SlimGen.Zoo;

// ResNet v1.5 as torchvision builds it: every convolution followed by batch norm, padding k // 2 on both sides, the
// stride of a unit on its 3x3 convolution, and a 1x1 projection shortcut ('downsample') where a unit changes the
// shape. The scopes are torchvision's module names, so torchvision's weights load by a short name map.

/// <summary>torchvision's ResNet convolutions: batch norm (PyTorch's epsilon and momentum), symmetric padding.</summary>
[ArgScope(Conv2d, Normalizer = Norm.BatchNorm, Padding = Pad.Symmetric, WeightsInit = Init.HeNormal)]
public sealed class ResNetArgScope { }

/// <summary>ResNet-18/34's unit: two 3x3 convolutions, the first with the unit's stride.</summary>
[SlimBlock("depth")]
[UseArgScope(typeof(ResNetArgScope))]
[Residual(Shortcut = Shortcut.Projection, Activation = Act.Relu)]
[Conv2d("depth", 3, Strided = true, Scope = "conv1")]
[Conv2d("depth", 3, Activation = Act.None, Scope = "conv2")]
public sealed partial class BasicBlock { }

/// <summary>ResNet-50's unit: 1x1 down to <c>depth</c>, 3x3 with the unit's stride, 1x1 up to <c>4 * depth</c>.</summary>
[SlimBlock("depth")]
[UseArgScope(typeof(ResNetArgScope))]
[Residual(Shortcut = Shortcut.Projection, Activation = Act.Relu)]
[Conv2d("depth", 1, Scope = "conv1")]
[Conv2d("depth", 3, Strided = true, Scope = "conv2")]
[Conv2d("depth * 4", 1, Activation = Act.None, Scope = "conv3")]
public sealed partial class Bottleneck { }

/// <summary>
/// ResNeXt's unit: the bottleneck with a 3x3 convolution in 32 channel groups (cardinality 32) of <c>width</c> channels,
/// with the unit's stride.
/// </summary>
[SlimBlock("depth", "width")]
[UseArgScope(typeof(ResNetArgScope))]
[Residual(Shortcut = Shortcut.Projection, Activation = Act.Relu)]
[Conv2d("width", 1, Scope = "conv1")]
[Conv2d("width", 3, Strided = true, Groups = 32, Scope = "conv2")]
[Conv2d("depth * 4", 1, Activation = Act.None, Scope = "conv3")]
public sealed partial class ResNeXtBottleneck { }

/// <summary>ResNet-18: 11,689,512 parameters with 1000 classes, as torchvision's <c>resnet18</c>.</summary>
[SlimModel(3, 224, 224, VariableSize = true)]
[UseArgScope(typeof(ResNetArgScope))]
[Conv2d(64, 7, Stride = 2, Scope = "conv1")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Symmetric, Scope = "maxpool")]
[Repeat(2, typeof(BasicBlock), 64, Scope = "layer1")]
[Repeat(2, typeof(BasicBlock), 128, Stride = 2, Scope = "layer2")]
[Repeat(2, typeof(BasicBlock), 256, Stride = 2, Scope = "layer3")]
[Repeat(2, typeof(BasicBlock), 512, Stride = 2, Scope = "layer4")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Flatten]
[FullyConnected(1000, Activation = Act.None, WeightsInit = Init.Xavier, Scope = "fc", Parameter = "numClasses")]
public sealed partial class ResNet18 { }

/// <summary>ResNet-50: 25,557,032 parameters with 1000 classes, as torchvision's <c>resnet50</c>.</summary>
[SlimModel(3, 224, 224, VariableSize = true)]
[UseArgScope(typeof(ResNetArgScope))]
[Conv2d(64, 7, Stride = 2, Scope = "conv1")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Symmetric, Scope = "maxpool")]
[Repeat(3, typeof(Bottleneck), 64, Scope = "layer1")]
[Repeat(4, typeof(Bottleneck), 128, Stride = 2, Scope = "layer2")]
[Repeat(6, typeof(Bottleneck), 256, Stride = 2, Scope = "layer3")]
[Repeat(3, typeof(Bottleneck), 512, Stride = 2, Scope = "layer4")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Flatten]
[FullyConnected(1000, Activation = Act.None, WeightsInit = Init.Xavier, Scope = "fc", Parameter = "numClasses")]
public sealed partial class ResNet50 { }

/// <summary>ResNeXt-50 (32x4d): 25,028,904 parameters with 1000 classes, as torchvision's <c>resnext50_32x4d</c>; any input size.</summary>
[SlimModel(3, 224, 224, VariableSize = true)]
[UseArgScope(typeof(ResNetArgScope))]
[Conv2d(64, 7, Stride = 2, Scope = "conv1")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Symmetric, Scope = "maxpool")]
[Repeat(3, typeof(ResNeXtBottleneck), 64, 128, Scope = "layer1")]
[Repeat(4, typeof(ResNeXtBottleneck), 128, 256, Stride = 2, Scope = "layer2")]
[Repeat(6, typeof(ResNeXtBottleneck), 256, 512, Stride = 2, Scope = "layer3")]
[Repeat(3, typeof(ResNeXtBottleneck), 512, 1024, Stride = 2, Scope = "layer4")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Flatten]
[FullyConnected(1000, Activation = Act.None, WeightsInit = Init.Xavier, Scope = "fc", Parameter = "numClasses")]
public sealed partial class ResNeXt50 { }
