using static SlimGen.Op;

namespace SlimGen.Zoo;

/// <summary>
/// TF-Slim's <c>cifarnet</c> (nets/cifarnet.py) for 32x32 RGB images: two 5x5 convolutions, each with a VALID 3x3 max
/// pool at stride 2 and TensorFlow's local response normalization (in TF-Slim's order), then dense layers of 384 and
/// 192 units with weight decay 0.004 and constant 0.1 biases, and the logits. 1,387,786 parameters with 10 classes.
/// </summary>
[SlimModel(3, 32, 32)]
[ArgScope(Conv2d, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.05)]
[ArgScope(FullyConnected, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.04, BiasInit = Init.Constant, BiasValue = 0.1, WeightDecay = 0.004)]
[Conv2d(64, 5, Scope = "conv1")]
[MaxPool2d(3, Scope = "pool1")]
[LocalResponseNorm(4, Bias = 1, Alpha = 0.001 / 9, Beta = 0.75, Scope = "norm1")]
[Conv2d(64, 5, Scope = "conv2")]
[LocalResponseNorm(4, Bias = 1, Alpha = 0.001 / 9, Beta = 0.75, Scope = "norm2")]
[MaxPool2d(3, Scope = "pool2")]
[Flatten]
[FullyConnected(384, Scope = "fc3")]
[Dropout(0.5, Scope = "dropout3", Parameter = "dropoutRate")]
[FullyConnected(192, Scope = "fc4")]
[FullyConnected(10, Activation = Act.None, WeightsStddev = 1.0 / 192, BiasInit = Init.Zeros, WeightDecay = 0, Scope = "logits", Parameter = "numClasses")]
public sealed partial class CifarNet { }
