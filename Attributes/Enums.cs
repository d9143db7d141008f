namespace SlimGen;

/// <summary>Every layer kind a model can contain; <see cref="RepeatAttribute"/> and <see cref="StackAttribute"/> take one.</summary>
public enum Op
{
    /// <summary>2-D convolution, <c>Conv2d(filters, kernel)</c>.</summary>
    Conv2d,
    /// <summary>2-D max pooling, <c>MaxPool2d(kernel)</c>.</summary>
    MaxPool2d,
    /// <summary>2-D average pooling, <c>AvgPool2d(kernel)</c>.</summary>
    AvgPool2d,
    /// <summary>Dense layer, <c>FullyConnected(units)</c>.</summary>
    FullyConnected,
    /// <summary>Dropout; its argument is the drop probability.</summary>
    Dropout,
    /// <summary>Flattens every dimension but the batch.</summary>
    Flatten,
    /// <summary>Batch normalization over the channel dimension.</summary>
    BatchNorm,
}

/// <summary>Activation applied by a layer after its linear part (and after its normalizer).</summary>
public enum Act
{
    /// <summary>No activation (identity).</summary>
    None,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>Leaky ReLU with slope 0.2 (TensorFlow's default).</summary>
    LeakyRelu,
    /// <summary>Exponential linear unit.</summary>
    Elu,
    /// <summary>Gaussian error linear unit (exact erf form).</summary>
    Gelu,
    /// <summary>x * sigmoid(x).</summary>
    Silu,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Softmax over the channel (second) dimension.</summary>
    Softmax,
}

/// <summary>Padding scheme with TensorFlow semantics.</summary>
public enum Pad
{
    /// <summary>Output size <c>ceil(in / stride)</c>; any odd padding goes to the bottom and right, as in TensorFlow.</summary>
    Same,
    /// <summary>No padding: output size <c>floor((in - kernel) / stride) + 1</c>.</summary>
    Valid,
}

/// <summary>Weight and bias initializers (TF-Slim's set).</summary>
public enum Init
{
    /// <summary>The layer's default: <see cref="Xavier"/> for weights, <see cref="Zeros"/> for biases.</summary>
    Default,
    /// <summary>Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)).</summary>
    Xavier,
    /// <summary>Glorot normal: N(0, sqrt(2 / (fan_in + fan_out))).</summary>
    XavierNormal,
    /// <summary>He normal: N(0, sqrt(2 / fan_in)).</summary>
    HeNormal,
    /// <summary>He uniform: U(-a, a), a = sqrt(6 / fan_in).</summary>
    HeUniform,
    /// <summary>Normal with standard deviation <c>WeightsStddev</c>, redrawn beyond two deviations.</summary>
    TruncatedNormal,
    /// <summary>Normal with standard deviation <c>WeightsStddev</c>.</summary>
    Normal,
    /// <summary>U(-WeightsStddev, WeightsStddev).</summary>
    Uniform,
    /// <summary>All zeros.</summary>
    Zeros,
    /// <summary>All ones.</summary>
    Ones,
}

/// <summary>Normalizer applied between a layer's linear part and its activation (TF-Slim's <c>normalizer_fn</c>).</summary>
public enum Norm
{
    /// <summary>No normalizer.</summary>
    None,
    /// <summary>Batch normalization; the layer then has no bias, as in TF-Slim.</summary>
    BatchNorm,
}
