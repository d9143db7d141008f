using SlimGen;
using static SlimGen.Op;

namespace SlimGen.Runtime.Tests.Models;

/// <summary>Stride-2 SAME convolution on an even size (asymmetric padding), then a dense layer.</summary>
[SlimModel(1, 6, 6)]
[Conv2d(2, 3, Stride = 2, Scope = "conv")]
[Flatten]
[FullyConnected(3, Activation = Act.None, Scope = "logits")]
public partial class AsymmetricNet { }

/// <summary>Every layer kind, scopes, repeat, stack, a normalizer, weight decay and constructor parameters.</summary>
[SlimModel(3, 17, 16)]
[ArgScope(Conv2d, FullyConnected, WeightDecay = 0.01)]
[Repeat(2, Conv2d, 4, 3, Scope = "conv1")]
[MaxPool2d(3, Padding = Pad.Same, Scope = "pool1")]
[Conv2d(6, 2, Stride = 2, Normalizer = Norm.BatchNorm, Scope = "conv2")]
[AvgPool2d(2, Stride = 1, Scope = "pool2")]
[BatchNorm(Scope = "bn")]
[Flatten]
[Stack(FullyConnected, 12, 8, Scope = "fc", WeightDecay = 0.1)]
[Dropout(0.5, Scope = "dropout", Parameter = "dropoutRate")]
[FullyConnected(5, Activation = Act.None, WeightDecay = 0, Scope = "logits", Parameter = "numClasses")]
public partial class EveryLayerNet { }
