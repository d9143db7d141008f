using static SlimGen.Op;

namespace SlimGen.Zoo;

// MobileNet v2 as torchvision builds it (width 1.0): ReLU6, batch norm after every convolution, padding k // 2, and
// inverted residual units whose add is there only where the unit keeps the shape. MobileNet v1 as TF-Slim's
// nets/mobilenet_v1.py builds it: depthwise-separable units with TensorFlow SAME padding, batch norm with TF-Slim's
// epsilon and decay, and a 1x1 convolution as the logits.

/// <summary>torchvision's MobileNet v2 convolutions: batch norm, symmetric padding, ReLU6.</summary>
[ArgScope(Conv2d, DepthwiseConv2d, Normalizer = Norm.BatchNorm, Padding = Pad.Symmetric, Activation = Act.Relu6, WeightsInit = Init.HeNormal)]
public sealed class MobileNetV2ArgScope { }

/// <summary>MobileNet v2's inverted residual without expansion (its first unit): depthwise 3x3, linear 1x1 projection.</summary>
[SlimBlock("depth")]
[UseArgScope(typeof(MobileNetV2ArgScope))]
[Residual(Shortcut = Shortcut.WhereShapesMatch)]
[DepthwiseConv2d(3, Strided = true, Scope = "depthwise")]
[Conv2d("depth", 1, Activation = Act.None, Scope = "project")]
public sealed partial class DepthwiseProjection { }

/// <summary>MobileNet v2's inverted residual: 1x1 expansion, depthwise 3x3 with the unit's stride, linear 1x1 projection.</summary>
[SlimBlock("expansion", "depth")]
[UseArgScope(typeof(MobileNetV2ArgScope))]
[Residual(Shortcut = Shortcut.WhereShapesMatch)]
[Conv2d("in * expansion", 1, Scope = "expand")]
[DepthwiseConv2d(3, Strided = true, Scope = "depthwise")]
[Conv2d("depth", 1, Activation = Act.None, Scope = "project")]
public sealed partial class InvertedResidual { }

/// <summary>MobileNet v2: 3,504,872 parameters with 1000 classes, as torchvision's <c>mobilenet_v2</c>; any input size.</summary>
[SlimModel(3, 224, 224, VariableSize = true)]
[UseArgScope(typeof(MobileNetV2ArgScope))]
[Conv2d(32, 3, Stride = 2, Scope = "Conv")]
[Block(typeof(DepthwiseProjection), 16, Scope = "expanded_conv")]
[Repeat(2, typeof(InvertedResidual), 6, 24, Stride = 2, Scope = "stage2")]
[Repeat(3, typeof(InvertedResidual), 6, 32, Stride = 2, Scope = "stage3")]
[Repeat(4, typeof(InvertedResidual), 6, 64, Stride = 2, Scope = "stage4")]
[Repeat(3, typeof(InvertedResidual), 6, 96, Scope = "stage5")]
[Repeat(3, typeof(InvertedResidual), 6, 160, Stride = 2, Scope = "stage6")]
[Repeat(1, typeof(InvertedResidual), 6, 320, Scope = "stage7")]
[Conv2d(1280, 1, Scope = "Conv_1")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Flatten]
[Dropout(0.2, Scope = "dropout", Parameter = "dropoutRate")]
[FullyConnected(1000, Activation = Act.None, WeightsInit = Init.Xavier, Scope = "Logits", Parameter = "numClasses")]
public sealed partial class MobileNetV2 { }

/// <summary>TF-Slim's <c>mobilenet_v1_arg_scope</c>: batch norm (epsilon 0.001, decay 0.9997), ReLU6, SAME padding.</summary>
[ArgScope(Conv2d, DepthwiseConv2d, Normalizer = Norm.BatchNorm, Activation = Act.Relu6, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.09)]
[ArgScope(BatchNorm, Epsilon = 0.001, Momentum = 0.0003)]
public sealed class MobileNetV1ArgScope { }

/// <summary>MobileNet v1's unit: a depthwise 3x3 convolution with the unit's stride, then a pointwise 1x1 convolution.</summary>
[SlimBlock("depth")]
[UseArgScope(typeof(MobileNetV1ArgScope))]
[DepthwiseConv2d(3, Strided = true, Scope = "depthwise")]
[Conv2d("depth", 1, Scope = "pointwise")]
public sealed partial class DepthwiseSeparable { }

/// <summary>MobileNet v1 (width 1.0, 224x224): 4,231,976 parameters with 1000 classes, as TF-Slim counts them.</summary>
[SlimModel(3, 224, 224)]
[UseArgScope(typeof(MobileNetV1ArgScope))]
[Conv2d(32, 3, Stride = 2, Scope = "Conv2d_0")]
[Block(typeof(DepthwiseSeparable), 64, Scope = "Conv2d_1")]
[Block(typeof(DepthwiseSeparable), 128, Stride = 2, Scope = "Conv2d_2")]
[Block(typeof(DepthwiseSeparable), 128, Scope = "Conv2d_3")]
[Block(typeof(DepthwiseSeparable), 256, Stride = 2, Scope = "Conv2d_4")]
[Block(typeof(DepthwiseSeparable), 256, Scope = "Conv2d_5")]
[Block(typeof(DepthwiseSeparable), 512, Stride = 2, Scope = "Conv2d_6")]
[Repeat(5, typeof(DepthwiseSeparable), 512, Scope = "Conv2d_7_11")]
[Block(typeof(DepthwiseSeparable), 1024, Stride = 2, Scope = "Conv2d_12")]
[Block(typeof(DepthwiseSeparable), 1024, Scope = "Conv2d_13")]
[AvgPool2d(7, Stride = 1, Scope = "AvgPool_1a")]
[Dropout(0.001, Scope = "Dropout_1b", Parameter = "dropoutRate")]
[Conv2d(1000, 1, Activation = Act.None, Normalizer = Norm.None, Scope = "Conv2d_1c_1x1", Parameter = "numClasses")]
[Flatten]
public sealed partial class MobileNetV1 { }
