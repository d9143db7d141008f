using SlimGen;
using static SlimGen.Op;

namespace MyNet;

/// <summary>
/// A small CNN for 28x28 grayscale images in 10 classes. SlimGen checks every shape while this compiles and writes the
/// rest of the class: a constructor, one field per layer, forward, Summary and RegularizationLoss.
/// Input shapes are channels-first: (channels, height, width).
/// </summary>
[SlimModel(1, 28, 28)]
[ArgScope(Conv2d, FullyConnected, WeightDecay = 0.0005)]
[Conv2d(32, 5, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Conv2d(64, 5, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Flatten]
[FullyConnected(256, Scope = "fc3")]
[Dropout(0.4, Scope = "dropout3")]
[FullyConnected(10, Activation = Act.None, Scope = "logits", Parameter = "numClasses")]
public sealed partial class Classifier { }
