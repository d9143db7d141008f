using static SlimGen.Op;

namespace SlimGen.Zoo;

// Inception V3 as torchvision builds it, with its auxiliary head when the constructor asks for it. Every
// convolution is torchvision's BasicConv2d: no bias, batch norm with epsilon 0.001, ReLU. torchvision pads each
// convolution explicitly: k // 2 per dimension for the 1x1, 3x3, 5x5, 1x7, 7x1, 1x3 and 3x1 kernels (Pad.Symmetric,
// the arg scope's default), nothing for the stem's first, second and fourth 3x3 convolutions and every stride-2
// convolution (Pad.Valid), whose max pools are unpadded too. The pool branch of InceptionA, C and E averages 3x3
// windows at stride 1 with padding 1, counting the zeros (F.avg_pool2d's count_include_pad=True, Pad.Symmetric).
// The blocks take all of torchvision's fixed internal widths as parameters; the scopes are torchvision's module names,
// each inside a branch named as torchvision's forward names it (branch5x5_1 in branch5x5), so the name map is short.

/// <summary>torchvision's Inception V3 BasicConv2d: batch norm with epsilon 0.001, padding k // 2, ReLU.</summary>
[ArgScope(Conv2d, Normalizer = Norm.BatchNorm, Padding = Pad.Symmetric, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.1)]
[ArgScope(BatchNorm, Epsilon = 0.001)]
public sealed class InceptionV3ArgScope { }

/// <summary>torchvision's InceptionA (Mixed_5b..5d): 1x1, 5x5, double 3x3 and average-pooled 1x1 branches.</summary>
[SlimBlock("ch1x1", "ch5x5red", "ch5x5", "ch3x3dblRed", "ch3x3dbl", "poolFeatures")]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Branch("branch1x1")]
[Conv2d("ch1x1", 1, Scope = "branch1x1")]
[Branch("branch5x5")]
[Conv2d("ch5x5red", 1, Scope = "branch5x5_1")]
[Conv2d("ch5x5", 5, Scope = "branch5x5_2")]
[Branch("branch3x3dbl")]
[Conv2d("ch3x3dblRed", 1, Scope = "branch3x3dbl_1")]
[Conv2d("ch3x3dbl", 3, Scope = "branch3x3dbl_2")]
[Conv2d("ch3x3dbl", 3, Scope = "branch3x3dbl_3")]
[Branch("branch_pool")]
[AvgPool2d(3, Stride = 1, Padding = Pad.Symmetric, Scope = "avg_pool")]
[Conv2d("poolFeatures", 1, Scope = "branch_pool")]
[Concat]
public sealed partial class InceptionA { }

/// <summary>torchvision's InceptionB (Mixed_6a): stride-2 3x3, stride-2 double 3x3 and max-pool branches, unpadded.</summary>
[SlimBlock("ch3x3", "ch3x3dblRed", "ch3x3dbl")]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Branch("branch3x3")]
[Conv2d("ch3x3", 3, Stride = 2, Padding = Pad.Valid, Scope = "branch3x3")]
[Branch("branch3x3dbl")]
[Conv2d("ch3x3dblRed", 1, Scope = "branch3x3dbl_1")]
[Conv2d("ch3x3dbl", 3, Scope = "branch3x3dbl_2")]
[Conv2d("ch3x3dbl", 3, Stride = 2, Padding = Pad.Valid, Scope = "branch3x3dbl_3")]
[Branch("branch_pool")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Valid, Scope = "max_pool")]
[Concat]
public sealed partial class InceptionB { }

/// <summary>torchvision's InceptionC (Mixed_6b..6e): 1x1, factorized 7x7, double factorized 7x7 and pooled branches.</summary>
[SlimBlock("ch1x1", "channels7x7", "ch7x7", "ch7x7dbl", "poolProj")]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Branch("branch1x1")]
[Conv2d("ch1x1", 1, Scope = "branch1x1")]
[Branch("branch7x7")]
[Conv2d("channels7x7", 1, Scope = "branch7x7_1")]
[Conv2d("channels7x7", 1, 7, Scope = "branch7x7_2")]
[Conv2d("ch7x7", 7, 1, Scope = "branch7x7_3")]
[Branch("branch7x7dbl")]
[Conv2d("channels7x7", 1, Scope = "branch7x7dbl_1")]
[Conv2d("channels7x7", 7, 1, Scope = "branch7x7dbl_2")]
[Conv2d("channels7x7", 1, 7, Scope = "branch7x7dbl_3")]
[Conv2d("channels7x7", 7, 1, Scope = "branch7x7dbl_4")]
[Conv2d("ch7x7dbl", 1, 7, Scope = "branch7x7dbl_5")]
[Branch("branch_pool")]
[AvgPool2d(3, Stride = 1, Padding = Pad.Symmetric, Scope = "avg_pool")]
[Conv2d("poolProj", 1, Scope = "branch_pool")]
[Concat]
public sealed partial class InceptionC { }

/// <summary>torchvision's InceptionD (Mixed_7a): stride-2 3x3, factorized 7x7 then stride-2 3x3, and max-pool branches.</summary>
[SlimBlock("ch3x3red", "ch3x3", "ch7x7x3red", "ch7x7x3")]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Branch("branch3x3")]
[Conv2d("ch3x3red", 1, Scope = "branch3x3_1")]
[Conv2d("ch3x3", 3, Stride = 2, Padding = Pad.Valid, Scope = "branch3x3_2")]
[Branch("branch7x7x3")]
[Conv2d("ch7x7x3red", 1, Scope = "branch7x7x3_1")]
[Conv2d("ch7x7x3red", 1, 7, Scope = "branch7x7x3_2")]
[Conv2d("ch7x7x3red", 7, 1, Scope = "branch7x7x3_3")]
[Conv2d("ch7x7x3", 3, Stride = 2, Padding = Pad.Valid, Scope = "branch7x7x3_4")]
[Branch("branch_pool")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Valid, Scope = "max_pool")]
[Concat]
public sealed partial class InceptionD { }

/// <summary>
/// InceptionE's split: a 1x3 and a 3x1 convolution side by side, each as wide as its input (torchvision's
/// <c>branch3x3_2a</c>/<c>_2b</c> and <c>branch3x3dbl_3a</c>/<c>_3b</c>, 384 in and out).
/// </summary>
[SlimBlock]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Branch("a")]
[Conv2d("in", 1, 3, Scope = "conv")]
[Branch("b")]
[Conv2d("in", 3, 1, Scope = "conv")]
[Concat]
public sealed partial class InceptionSplit { }

/// <summary>torchvision's InceptionE (Mixed_7b, 7c): 1x1, split 3x3, double split 3x3 and pooled branches.</summary>
[SlimBlock("ch1x1", "ch3x3", "ch3x3dblRed", "ch3x3dbl", "poolProj")]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Branch("branch1x1")]
[Conv2d("ch1x1", 1, Scope = "branch1x1")]
[Branch("branch3x3")]
[Conv2d("ch3x3", 1, Scope = "branch3x3_1")]
[Block(typeof(InceptionSplit), Scope = "branch3x3_2")]
[Branch("branch3x3dbl")]
[Conv2d("ch3x3dblRed", 1, Scope = "branch3x3dbl_1")]
[Conv2d("ch3x3dbl", 3, Scope = "branch3x3dbl_2")]
[Block(typeof(InceptionSplit), Scope = "branch3x3dbl_3")]
[Branch("branch_pool")]
[AvgPool2d(3, Stride = 1, Padding = Pad.Symmetric, Scope = "avg_pool")]
[Conv2d("poolProj", 1, Scope = "branch_pool")]
[Concat]
public sealed partial class InceptionE { }

/// <summary>
/// torchvision's InceptionAux, on Mixed_6e: a 5x5 average pool at stride 3, 1x1 and VALID 5x5 convolutions, global
/// pooling and the auxiliary logits.
/// </summary>
[SlimBlock("numClasses")]
[UseArgScope(typeof(InceptionV3ArgScope))]
[AvgPool2d(5, Stride = 3, Scope = "pool")]
[Conv2d(128, 1, Scope = "conv0")]
[Conv2d(768, 5, Padding = Pad.Valid, WeightsStddev = 0.01, Scope = "conv1")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Flatten]
[FullyConnected("numClasses", Activation = Act.None, WeightsStddev = 0.001, Scope = "fc")]
public sealed partial class InceptionAux { }

/// <summary>
/// Inception V3: 23,834,568 parameters with 1000 classes, as torchvision's <c>inception_v3(aux_logits=False)</c>, and
/// 27,161,264 with <c>auxLogits: true</c> (the head's output is the end point <c>AuxLogits</c> of ForwardWithEndpoints).
/// Any input from 75x75 (from 299x299 with the head), 299x299 as torchvision's ImageNet weights expect
/// (with <c>transform_input=True</c>'s rescaling done by the caller).
/// </summary>
[SlimModel(3, 299, 299, VariableSize = true)]
[UseArgScope(typeof(InceptionV3ArgScope))]
[Conv2d(32, 3, Stride = 2, Padding = Pad.Valid, Scope = "Conv2d_1a_3x3")]
[Conv2d(32, 3, Padding = Pad.Valid, Scope = "Conv2d_2a_3x3")]
[Conv2d(64, 3, Scope = "Conv2d_2b_3x3")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Valid, Scope = "maxpool1")]
[Conv2d(80, 1, Scope = "Conv2d_3b_1x1")]
[Conv2d(192, 3, Padding = Pad.Valid, Scope = "Conv2d_4a_3x3")]
[MaxPool2d(3, Stride = 2, Padding = Pad.Valid, Scope = "maxpool2")]
[Block(typeof(InceptionA), 64, 48, 64, 64, 96, 32, Scope = "Mixed_5b")]
[Block(typeof(InceptionA), 64, 48, 64, 64, 96, 64, Scope = "Mixed_5c")]
[Block(typeof(InceptionA), 64, 48, 64, 64, 96, 64, Scope = "Mixed_5d")]
[Block(typeof(InceptionB), 384, 64, 96, Scope = "Mixed_6a")]
[Block(typeof(InceptionC), 192, 128, 192, 192, 192, Scope = "Mixed_6b")]
[Block(typeof(InceptionC), 192, 160, 192, 192, 192, Scope = "Mixed_6c")]
[Block(typeof(InceptionC), 192, 160, 192, 192, 192, Scope = "Mixed_6d")]
[Block(typeof(InceptionC), 192, 192, 192, 192, 192, Scope = "Mixed_6e")]
[AuxHead(typeof(InceptionAux), 1000, Scope = "AuxLogits", Parameter = "auxLogits")]
[Block(typeof(InceptionD), 192, 320, 192, 192, Scope = "Mixed_7a")]
[Block(typeof(InceptionE), 320, 384, 448, 384, 192, Scope = "Mixed_7b")]
[Block(typeof(InceptionE), 320, 384, 448, 384, 192, Scope = "Mixed_7c")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Dropout(0.5, Scope = "dropout", Parameter = "dropoutRate")]
[Flatten]
[FullyConnected(1000, Activation = Act.None, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.1, Scope = "fc", Parameter = "numClasses")]
public sealed partial class InceptionV3 { }
