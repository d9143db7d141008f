using SlimGen;
using static SlimGen.Op;

namespace SlimGen.Runtime.Tests.Models;

/// <summary>
/// SmallCnn of Tests/Fixtures/export_checkpoint_fixtures.py, whose PyTorch twin uses SlimGen's keys: conv1's batch
/// norm replaces its bias (conv1.weight, conv1.bn.*). 3x3 SAME convolutions at stride 1 and VALID 2x2 pools pad as
/// PyTorch does.
/// </summary>
[SlimModel(1, 8, 8)]
[Conv2d(4, 3, Normalizer = Norm.BatchNorm, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Conv2d(6, 3, Scope = "conv2")]
[AvgPool2d(2, Scope = "pool2")]
[Flatten]
[FullyConnected(5, Activation = Act.None, Scope = "logits")]
public partial class SmallCnn { }

/// <summary>
/// The reduced-width VGG of export_checkpoint_fixtures.py (torchvision's make_layers([4, 4, M, 8, M, 16, 16, M]) and
/// a 16-16-10 classifier on a 16x16 input), written as the zoo writes VGG.
/// </summary>
[SlimModel(3, 16, 16)]
[ArgScope(Conv2d, FullyConnected, Activation = Act.Relu)]
[Repeat(2, Conv2d, 4, 3, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Repeat(1, Conv2d, 8, 3, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Repeat(2, Conv2d, 16, 3, Scope = "conv3")]
[MaxPool2d(2, Scope = "pool3")]
[Flatten]
[FullyConnected(16, Scope = "fc6")]
[Dropout(0.5, Scope = "dropout6")]
[FullyConnected(16, Scope = "fc7")]
[Dropout(0.5, Scope = "dropout7")]
[FullyConnected(10, Activation = Act.None, Scope = "fc8", Parameter = "numClasses")]
public partial class TinyVgg { }

/// <summary>Two dense layers whose scopes share a prefix but not a path segment: fc8 and fc80.</summary>
[SlimModel(4)]
[FullyConnected(6, Scope = "fc8")]
[FullyConnected(3, Activation = Act.None, Scope = "fc80")]
public partial class PrefixNet { }
