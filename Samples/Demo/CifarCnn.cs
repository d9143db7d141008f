using SlimGen;
using static SlimGen.Op;

namespace SlimGen.Demo;

/// <summary>
/// A small VGG-style network for 32x32 RGB images, written the TF-Slim way. Every shape below is
/// checked while the code compiles; change a kernel or remove [Flatten] to see the error.
/// </summary>
[SlimModel(3, 32, 32, OutputShape = new[] { 10 })]
[ArgScope(Conv2d, FullyConnected, Activation = Act.Relu, WeightsInit = Init.HeNormal, WeightDecay = 0.0005)]
[Repeat(2, Conv2d, 32, 3, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Repeat(2, Conv2d, 64, 3, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Conv2d(128, 3, Stride = 2, Normalizer = Norm.BatchNorm, Scope = "conv3")]
[Flatten]
[FullyConnected(256, Scope = "fc4")]
[Dropout(0.5, Scope = "dropout4")]
[FullyConnected(10, Activation = Act.None, Scope = "logits", Parameter = "numClasses")]
public sealed partial class CifarCnn { }
