using static SlimGen.Op;

namespace SlimGen.Zoo;

/// <summary>
/// TF-Slim's <c>lenet</c> (nets/lenet.py) for 28x28 grey images: two 5x5 convolutions with 2x2 pools, a 1024-unit
/// dense layer with dropout, and the logits; weights from a truncated normal with stddev 0.1. 3,274,634 parameters
/// with 10 classes.
/// </summary>
[SlimModel(1, 28, 28)]
[ArgScope(Conv2d, FullyConnected, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.1)]
[Conv2d(32, 5, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Conv2d(64, 5, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Flatten]
[FullyConnected(1024, Scope = "fc3")]
[Dropout(0.5, Scope = "dropout3", Parameter = "dropoutRate")]
[FullyConnected(10, Activation = Act.None, Scope = "fc4", Parameter = "numClasses")]
public sealed partial class LeNet { }
