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
    /// <summary>Depthwise 2-D convolution, <c>DepthwiseConv2d(kernel)</c>: <c>Multiplier</c> filters per input channel.</summary>
    DepthwiseConv2d,
    /// <summary>Average over the whole spatial extent: <c>[C, H, W]</c> to <c>[C, 1, 1]</c>.</summary>
    GlobalAvgPool2d,
    /// <summary>TensorFlow's local response normalization across channels, <c>LocalResponseNorm(depthRadius)</c>.</summary>
    LocalResponseNorm,
    /// <summary>A use of a <see cref="SlimBlockAttribute"/> block (<c>[Block]</c>, or <c>[Repeat]</c> with a block type).</summary>
    Block,
    /// <summary>The channel concatenation that ends a block's branches (<c>[Concat]</c>); a summary row.</summary>
    Concat,
    /// <summary>A residual block's add of its shortcut and its body (<c>[Residual]</c>); a summary row.</summary>
    Add,
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
    /// <summary>
    /// PyTorch's padding: the same number of cells on both sides, <c>dilation * (kernel - 1) / 2</c> unless
    /// <c>PaddingSize</c> gives it (torchvision's <c>padding=k//2</c>, TF-Slim's <c>conv2d_same</c>); output size
    /// <c>floor((in + 2 * pad - kernel) / stride) + 1</c>. Average pools count the padded zeros, as PyTorch does.
    /// </summary>
    Symmetric,
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
    /// <summary>Every value <c>BiasValue</c> (TF-Slim's <c>constant_initializer</c>; AlexNet and CifarNet use 0.1 for biases).</summary>
    Constant,
    /// <summary>
    /// TensorFlow's <c>variance_scaling_initializer()</c> as TF-Slim's ResNet and MobileNet scopes use it: a normal
    /// truncated at two deviations, scaled so that the kept values have variance <c>2 / fan_in</c>.
    /// </summary>
    VarianceScaling,
}

/// <summary>Normalizer applied between a layer's linear part and its activation (TF-Slim's <c>normalizer_fn</c>).</summary>
public enum Norm
{
    /// <summary>No normalizer.</summary>
    None,
    /// <summary>Batch normalization; the layer then has no bias, as in TF-Slim.</summary>
    BatchNorm,
}

/// <summary>How a residual block's input reaches the add when its shape differs from the block's output.</summary>
public enum Shortcut
{
    /// <summary>Always the input itself; a block whose output shape differs from its input is an error (SLIM021).</summary>
    Identity,
    /// <summary>
    /// The input itself where the shapes agree, otherwise a 1x1 convolution with the block's stride and the block's
    /// normalizer and no activation, named <c>shortcut</c> (torchvision's <c>downsample</c>).
    /// </summary>
    Projection,
    /// <summary>
    /// TF-Slim's ResNet: the input where the shapes agree, a 1x1 max pool with the block's stride where only the spatial
    /// size differs, otherwise a projection as <see cref="Projection"/>.
    /// </summary>
    Subsample,
    /// <summary>The add only where the shapes agree, no shortcut otherwise (MobileNet v2's inverted residual).</summary>
    WhereShapesMatch,
}
