using SlimGen;
using static SlimGen.Op;

namespace SlimGen.FashionMnistSample;

/// <summary>
/// The convolutional network of TensorFlow's layers tutorial ("Build a Convolutional Neural Network using
/// Estimators"): two 5x5 SAME convolutions with ReLU, each followed by a 2x2 max pool, a dense layer of 1,024 ReLU
/// units with dropout 0.4, and 10 logits. SlimGen's defaults already are the tutorial's: SAME padding, ReLU, Xavier
/// (Glorot uniform) weights, zero biases, pools of stride 2.
/// </summary>
[SlimModel(1, 28, 28, OutputShape = new[] { 10 })]
[Conv2d(32, 5, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Conv2d(64, 5, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Flatten]
[FullyConnected(1024, Scope = "dense")]
[Dropout(0.4, Scope = "dropout")]
[FullyConnected(10, Activation = Act.None, Scope = "logits")]
public sealed partial class TutorialCnn { }

/// <summary>
/// <see cref="TutorialCnn"/> with batch normalization after every convolution and the dense layer (replacing their
/// biases, as TF-Slim's normalizer_fn does), the "2 Conv+pooling+BN" entry of the Fashion-MNIST benchmark table.
/// </summary>
[SlimModel(1, 28, 28, OutputShape = new[] { 10 })]
[ArgScope(Conv2d, FullyConnected, Normalizer = Norm.BatchNorm)]
[Conv2d(32, 5, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Conv2d(64, 5, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Flatten]
[FullyConnected(1024, Scope = "dense")]
[Dropout(0.4, Scope = "dropout")]
[FullyConnected(10, Activation = Act.None, Normalizer = Norm.None, Scope = "logits")]
public sealed partial class TutorialCnnBatchNorm { }
