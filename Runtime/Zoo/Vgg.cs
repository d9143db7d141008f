using static SlimGen.Op;

namespace SlimGen.Zoo;

// The VGG family of Simonyan and Zisserman, as TF-Slim's nets/vgg.py defines it: 3x3 convolutions,
// 2x2 max pools, dropout 0.5 in fc6 and fc7. Flattening NCHW activations gives torchvision's
// classifier input order.

/// <summary>TF-Slim's <c>vgg_arg_scope</c>: ReLU, L2 weight decay 0.0005, SAME convolutions.</summary>
[ArgScope(Conv2d, FullyConnected, Activation = Act.Relu, WeightDecay = 0.0005)]
[ArgScope(Conv2d, Padding = Pad.Same)]
public sealed class VggArgScope { }

/// <summary>VGG-11 (configuration "A"): 8 convolutions and 3 dense layers.</summary>
[SlimModel(3, 224, 224)]
[UseArgScope(typeof(VggArgScope))]
[Repeat(1, Conv2d, 64, 3, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Repeat(1, Conv2d, 128, 3, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Repeat(2, Conv2d, 256, 3, Scope = "conv3")]
[MaxPool2d(2, Scope = "pool3")]
[Repeat(2, Conv2d, 512, 3, Scope = "conv4")]
[MaxPool2d(2, Scope = "pool4")]
[Repeat(2, Conv2d, 512, 3, Scope = "conv5")]
[MaxPool2d(2, Scope = "pool5")]
[Flatten]
[FullyConnected(4096, Scope = "fc6")]
[Dropout(0.5, Scope = "dropout6", Parameter = "dropoutRate")]
[FullyConnected(4096, Scope = "fc7")]
[Dropout(0.5, Scope = "dropout7", Parameter = "dropoutRate")]
[FullyConnected(1000, Activation = Act.None, Scope = "fc8", Parameter = "numClasses")]
public sealed partial class Vgg11 { }

/// <summary>VGG-16 (configuration "D"): 13 convolutions and 3 dense layers, 138,357,544 parameters with 1000 classes.</summary>
[SlimModel(3, 224, 224)]
[UseArgScope(typeof(VggArgScope))]
[Repeat(2, Conv2d, 64, 3, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Repeat(2, Conv2d, 128, 3, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Repeat(3, Conv2d, 256, 3, Scope = "conv3")]
[MaxPool2d(2, Scope = "pool3")]
[Repeat(3, Conv2d, 512, 3, Scope = "conv4")]
[MaxPool2d(2, Scope = "pool4")]
[Repeat(3, Conv2d, 512, 3, Scope = "conv5")]
[MaxPool2d(2, Scope = "pool5")]
[Flatten]
[FullyConnected(4096, Scope = "fc6")]
[Dropout(0.5, Scope = "dropout6", Parameter = "dropoutRate")]
[FullyConnected(4096, Scope = "fc7")]
[Dropout(0.5, Scope = "dropout7", Parameter = "dropoutRate")]
[FullyConnected(1000, Activation = Act.None, Scope = "fc8", Parameter = "numClasses")]
public sealed partial class Vgg16 { }

/// <summary>VGG-19 (configuration "E"): 16 convolutions and 3 dense layers.</summary>
[SlimModel(3, 224, 224)]
[UseArgScope(typeof(VggArgScope))]
[Repeat(2, Conv2d, 64, 3, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Repeat(2, Conv2d, 128, 3, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Repeat(4, Conv2d, 256, 3, Scope = "conv3")]
[MaxPool2d(2, Scope = "pool3")]
[Repeat(4, Conv2d, 512, 3, Scope = "conv4")]
[MaxPool2d(2, Scope = "pool4")]
[Repeat(4, Conv2d, 512, 3, Scope = "conv5")]
[MaxPool2d(2, Scope = "pool5")]
[Flatten]
[FullyConnected(4096, Scope = "fc6")]
[Dropout(0.5, Scope = "dropout6", Parameter = "dropoutRate")]
[FullyConnected(4096, Scope = "fc7")]
[Dropout(0.5, Scope = "dropout7", Parameter = "dropoutRate")]
[FullyConnected(1000, Activation = Act.None, Scope = "fc8", Parameter = "numClasses")]
public sealed partial class Vgg19 { }
