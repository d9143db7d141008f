using static SlimGen.Op;

namespace SlimGen.Benchmarks;

/// <summary>
/// A CNN whose convolutions have channel counts off oneDNN's 8- and 16-channel blocks (24, 20, 40), as GoogLeNet's and
/// MobileNet V2's do: the layers that the convolution workaround pads on CPUs that need it.
/// </summary>
[SlimModel(3, 56, 56)]
[Conv2d(24, 3, Stride = 2, Scope = "conv1")]
[Conv2d(20, 3, Scope = "conv2")]
[Conv2d(40, 3, Scope = "conv3")]
[Conv2d(24, 1, Scope = "conv4")]
[MaxPool2d(2, Scope = "pool4")]
[Flatten]
[FullyConnected(10, Activation = Act.None, Scope = "logits")]
internal sealed partial class TailChannelCnn { }
