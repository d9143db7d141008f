using static SlimGen.Op;

namespace SlimGen.Zoo;

// AlexNet as torchvision builds it (the "one weird trick" variant): five convolutions with PyTorch's explicit
// padding, VALID 3x3 max pools at stride 2, and a classifier with dropout before each of its first two dense layers.
// torchvision's adaptive average pool to 6x6 does nothing at 224x224 and is left out.

/// <summary>AlexNet: 61,100,840 parameters with 1000 classes, as torchvision's <c>alexnet</c>.</summary>
[SlimModel(3, 224, 224)]
[ArgScope(Conv2d, Padding = Pad.Symmetric)]
[Conv2d(64, 11, Stride = 4, PaddingSize = 2, Scope = "conv1")]
[MaxPool2d(3, Scope = "pool1")]
[Conv2d(192, 5, Scope = "conv2")]
[MaxPool2d(3, Scope = "pool2")]
[Conv2d(384, 3, Scope = "conv3")]
[Conv2d(256, 3, Scope = "conv4")]
[Conv2d(256, 3, Scope = "conv5")]
[MaxPool2d(3, Scope = "pool5")]
[Flatten]
[Dropout(0.5, Scope = "dropout6", Parameter = "dropoutRate")]
[FullyConnected(4096, Scope = "fc6")]
[Dropout(0.5, Scope = "dropout7", Parameter = "dropoutRate")]
[FullyConnected(4096, Scope = "fc7")]
[FullyConnected(1000, Activation = Act.None, Scope = "fc8", Parameter = "numClasses")]
public sealed partial class AlexNet { }
