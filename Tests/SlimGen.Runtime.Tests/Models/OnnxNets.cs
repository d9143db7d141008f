using SlimGen;
using static SlimGen.Op;

namespace SlimGen.Runtime.Tests.Models;

// Every activation, batch norm after convolutions and dense layers, and TensorFlow SAME padding that is asymmetric for
// a strided convolution and both pools: what the ONNX export must reproduce.
[SlimModel(3, 9, 9)]
[Conv2d(4, 3, Activation = Act.Relu6, Scope = "relu6")]
[Conv2d(5, 3, Stride = 2, Activation = Act.LeakyRelu, Scope = "leaky")]
[AvgPool2d(2, Padding = Pad.Same, Scope = "avg")]
[Conv2d(6, 1, Activation = Act.Elu, Scope = "elu")]
[Conv2d(4, 3, Activation = Act.Gelu, Scope = "gelu")]
[Conv2d(4, 3, Activation = Act.Silu, Scope = "silu")]
[MaxPool2d(2, Padding = Pad.Same, Scope = "max")]
[Conv2d(4, 3, Activation = Act.Sigmoid, Normalizer = Norm.BatchNorm, Scope = "sigmoid")]
[Flatten]
[FullyConnected(6, Activation = Act.Tanh, Normalizer = Norm.BatchNorm, Scope = "tanh")]
[FullyConnected(5, Activation = Act.Softmax, Scope = "softmax")]
public partial class EveryActivationNet { }

// A stride larger than the input: TensorFlow's SAME padding clamps at zero where ONNX's SAME_UPPER would go negative
// (found by the randomized test).
[SlimModel(3, 6, 26)]
[Conv2d(8, 2, Stride = 1000, Scope = "wide")]
[MaxPool2d(1, Stride = 1000, Padding = Pad.Same, Scope = "pool")]
[Flatten]
[FullyConnected(3, Activation = Act.None, Scope = "logits")]
public partial class WideStrideNet { }

// Variable size with every strided layer at the top level, as a new user writes it: the export must compute SAME
// padding from the run-time size, not from the declared 64x64 (the top-level rows once lacked their symbolic shapes).
[SlimModel(3, 64, 64, VariableSize = true)]
[Conv2d(6, 3, Stride = 2, Scope = "conv1")]
[Conv2d(8, 3, Stride = 2, Scope = "conv2")]
[GlobalAvgPool2d(Scope = "pool")]
[Flatten]
[FullyConnected(5, Activation = Act.None, Scope = "logits")]
public partial class TopLevelStridedNet { }

// Variable size ending in a top-level 1x1 convolution after a strided SAME convolution and a pool: the output's
// height and width must follow the input (they once stayed at the declared 16x16).
[SlimModel(3, 64, 64, VariableSize = true)]
[Conv2d(6, 3, Stride = 2, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool")]
[Conv2d(4, 1, Activation = Act.None, Scope = "head")]
public partial class TopLevelHeadNet { }
