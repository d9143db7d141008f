using static SlimGen.Op;

namespace SlimGen.Zoo;

// GoogLeNet (Inception v1) as torchvision builds it, without the auxiliary heads: every convolution is torchvision's
// BasicConv2d (no bias, batch norm with epsilon 0.001, ReLU), padded k // 2 on both sides. torchvision's max pools
// use ceil_mode; at 224x224 their sizes are even and TensorFlow's SAME padding gives the same windows (the extra
// cell at the end is -inf), which is how they are written here. torchvision's "5x5" branch is a 3x3 convolution
// (pytorch/vision#906), and so is this one.

/// <summary>torchvision's BasicConv2d: batch norm with epsilon 0.001, symmetric padding, ReLU.</summary>
[ArgScope(Conv2d, Normalizer = Norm.BatchNorm, Padding = Pad.Symmetric, WeightsInit = Init.TruncatedNormal)]
[ArgScope(BatchNorm, Epsilon = 0.001)]
public sealed class GoogLeNetArgScope { }

/// <summary>The Inception module: four branches of 1x1, 3x3, "5x5" (3x3) and pooled 1x1 convolutions, concatenated.</summary>
[SlimBlock("ch1x1", "ch3x3red", "ch3x3", "ch5x5red", "ch5x5", "poolProj")]
[UseArgScope(typeof(GoogLeNetArgScope))]
[Branch("branch1")]
[Conv2d("ch1x1", 1, Scope = "conv")]
[Branch("branch2")]
[Conv2d("ch3x3red", 1, Scope = "conv_0")]
[Conv2d("ch3x3", 3, Scope = "conv_1")]
[Branch("branch3")]
[Conv2d("ch5x5red", 1, Scope = "conv_0")]
[Conv2d("ch5x5", 3, Scope = "conv_1")]
[Branch("branch4")]
[MaxPool2d(3, Stride = 1, Padding = Pad.Same, Scope = "pool")]
[Conv2d("poolProj", 1, Scope = "conv_1")]
[Concat]
public sealed partial class InceptionModule { }

/// <summary>GoogLeNet: 6,624,904 parameters with 1000 classes, as torchvision's <c>googlenet(aux_logits=False)</c>.</summary>
[SlimModel(3, 224, 224)]
[UseArgScope(typeof(GoogLeNetArgScope))]
[Conv2d(64, 7, Stride = 2, Scope = "conv1")]
[MaxPool2d(3, Padding = Pad.Same, Scope = "maxpool1")]
[Conv2d(64, 1, Scope = "conv2")]
[Conv2d(192, 3, Scope = "conv3")]
[MaxPool2d(3, Padding = Pad.Same, Scope = "maxpool2")]
[Block(typeof(InceptionModule), 64, 96, 128, 16, 32, 32, Scope = "inception3a")]
[Block(typeof(InceptionModule), 128, 128, 192, 32, 96, 64, Scope = "inception3b")]
[MaxPool2d(3, Padding = Pad.Same, Scope = "maxpool3")]
[Block(typeof(InceptionModule), 192, 96, 208, 16, 48, 64, Scope = "inception4a")]
[Block(typeof(InceptionModule), 160, 112, 224, 24, 64, 64, Scope = "inception4b")]
[Block(typeof(InceptionModule), 128, 128, 256, 24, 64, 64, Scope = "inception4c")]
[Block(typeof(InceptionModule), 112, 144, 288, 32, 64, 64, Scope = "inception4d")]
[Block(typeof(InceptionModule), 256, 160, 320, 32, 128, 128, Scope = "inception4e")]
[MaxPool2d(2, Padding = Pad.Same, Scope = "maxpool4")]
[Block(typeof(InceptionModule), 256, 160, 320, 32, 128, 128, Scope = "inception5a")]
[Block(typeof(InceptionModule), 384, 192, 384, 48, 128, 128, Scope = "inception5b")]
[GlobalAvgPool2d(Scope = "avgpool")]
[Flatten]
[Dropout(0.2, Scope = "dropout", Parameter = "dropoutRate")]
[FullyConnected(1000, Activation = Act.None, WeightsInit = Init.Xavier, Scope = "fc", Parameter = "numClasses")]
public sealed partial class GoogLeNet { }
