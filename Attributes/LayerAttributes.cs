// Also compiled into the generator, where it is internal (SLIMGEN_GENERATOR), so that the generator names these
// attributes and their properties with nameof.
using System;

namespace SlimGen;

/// <summary>Base of every layer attribute: the layer's scope name.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// TF-Slim scope name. It names the field, the end point and the state_dict prefix
    /// (<c>conv1</c> gives <c>conv1.weight</c>). Unscoped layers get unique default names.
    /// </summary>
    public string? Scope { get; set; }
}

/// <summary>Keys shared by the layers that have weights (convolutions and dense layers).</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
abstract class WeightedLayerAttribute : LayerAttribute
{
    /// <summary>Activation after the layer (default ReLU).</summary>
    public Act Activation { get; set; }
    /// <summary>Weight initializer (default Xavier).</summary>
    public Init WeightsInit { get; set; }
    /// <summary>Standard deviation (or half range) of the Normal, TruncatedNormal and Uniform initializers (default 0.01).</summary>
    public double WeightsStddev { get; set; }
    /// <summary>Bias initializer (default zeros).</summary>
    public Init BiasInit { get; set; }
    /// <summary>The value of <see cref="Init.Constant"/> biases (TF-Slim's AlexNet and CifarNet use 0.1).</summary>
    public double BiasValue { get; set; }
    /// <summary>L2 weight decay: adds <c>decay * sum(w^2) / 2</c> to the regularization loss.</summary>
    public double WeightDecay { get; set; }
    /// <summary>Whether the layer has a bias (default true; always false with a normalizer).</summary>
    public bool UseBias { get; set; }
    /// <summary>Normalizer between the linear part and the activation.</summary>
    public Norm Normalizer { get; set; }
    /// <summary>
    /// Makes the layer's size a constructor parameter with this name; the attribute's value is its default,
    /// which the compile-time summary uses. Example: <c>Parameter = "numClasses"</c>.
    /// </summary>
    public string? Parameter { get; set; }
}

/// <summary>
/// 2-D convolution. Inside a <see cref="SlimBlockAttribute"/> block the filters may be an expression over the
/// block's parameters, such as <c>[Conv2d("depth * 4", 1)]</c>.
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class Conv2dAttribute : WeightedLayerAttribute
{
    /// <param name="filters">Output channels.</param>
    /// <param name="kernel">Square kernel size.</param>
    public Conv2dAttribute(int filters, int kernel) : this(filters, kernel, kernel) { }

    /// <param name="filters">Output channels.</param>
    /// <param name="kernelHeight">Kernel height (TF-Slim's <c>[1, 7]</c> is <c>1, 7</c>).</param>
    /// <param name="kernelWidth">Kernel width.</param>
    public Conv2dAttribute(int filters, int kernelHeight, int kernelWidth)
    {
        Filters = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <param name="filters">Output channels as an expression over the block's parameters: <c>"depth * 4"</c>.</param>
    /// <param name="kernel">Square kernel size.</param>
    public Conv2dAttribute(string filters, int kernel) : this(filters, kernel, kernel) { }

    /// <param name="filters">Output channels as an expression over the block's parameters.</param>
    /// <param name="kernelHeight">Kernel height.</param>
    /// <param name="kernelWidth">Kernel width.</param>
    public Conv2dAttribute(string filters, int kernelHeight, int kernelWidth)
    {
        FiltersExpression = filters;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Output channels (0 when given by <see cref="FiltersExpression"/>).</summary>
    public int Filters { get; }
    /// <summary>Output channels as an expression over the block's parameters, or null.</summary>
    public string? FiltersExpression { get; }
    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Stride (default 1).</summary>
    public int Stride { get; set; }
    /// <summary>In a block: the layer takes the stride the block is used with (<c>[Block(..., Stride = 2)]</c>).</summary>
    public bool Strided { get; set; }
    /// <summary>Padding (default <see cref="Pad.Same"/>).</summary>
    public Pad Padding { get; set; }
    /// <summary>Cells of <see cref="Pad.Symmetric"/> padding on each side (default <c>dilation * (kernel - 1) / 2</c>).</summary>
    public int PaddingSize { get; set; }
    /// <summary>Spacing of the kernel's taps (default 1; TF-Slim's <c>rate</c>).</summary>
    public int Dilation { get; set; }
    /// <summary>
    /// Channel groups (default 1; ResNeXt's cardinality): each group of filters sees its own share of the input
    /// channels. It must divide both the input channels and the filters.
    /// </summary>
    public int Groups { get; set; }
}

/// <summary>
/// Depthwise 2-D convolution (TF-Slim's <c>separable_conv2d</c> with <c>num_outputs=None</c>): each input channel is
/// convolved with its own <see cref="Multiplier"/> filters. The weight is PyTorch's grouped layout <c>[C * m, 1, kH, kW]</c>.
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class DepthwiseConv2dAttribute : WeightedLayerAttribute
{
    /// <param name="kernel">Square kernel size.</param>
    public DepthwiseConv2dAttribute(int kernel) : this(kernel, kernel) { }

    /// <param name="kernelHeight">Kernel height.</param>
    /// <param name="kernelWidth">Kernel width.</param>
    public DepthwiseConv2dAttribute(int kernelHeight, int kernelWidth)
    {
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>Filters per input channel (default 1).</summary>
    public int Multiplier { get; set; }
    /// <summary>Stride (default 1).</summary>
    public int Stride { get; set; }
    /// <summary>In a block: the layer takes the stride the block is used with.</summary>
    public bool Strided { get; set; }
    /// <summary>Padding (default <see cref="Pad.Same"/>).</summary>
    public Pad Padding { get; set; }
    /// <summary>Cells of <see cref="Pad.Symmetric"/> padding on each side.</summary>
    public int PaddingSize { get; set; }
    /// <summary>Spacing of the kernel's taps (default 1).</summary>
    public int Dilation { get; set; }
}

/// <summary>Dense layer over the last dimension.</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class FullyConnectedAttribute : WeightedLayerAttribute
{
    /// <param name="units">Output features.</param>
    public FullyConnectedAttribute(int units) => Units = units;

    /// <param name="units">Output features as an expression over the block's parameters.</param>
    public FullyConnectedAttribute(string units) => UnitsExpression = units;

    /// <summary>Output features (0 when given by <see cref="UnitsExpression"/>).</summary>
    public int Units { get; }
    /// <summary>Output features as an expression over the block's parameters, or null.</summary>
    public string? UnitsExpression { get; }
}

/// <summary>Keys shared by the pooling layers.</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
abstract class PoolAttribute : LayerAttribute
{
    /// <param name="kernel">Square window size.</param>
    protected PoolAttribute(int kernel) => Kernel = kernel;

    /// <summary>Square window size.</summary>
    public int Kernel { get; }
    /// <summary>Stride (default 2, as in TF-Slim).</summary>
    public int Stride { get; set; }
    /// <summary>Padding (default <see cref="Pad.Valid"/>, as in TF-Slim).</summary>
    public Pad Padding { get; set; }
    /// <summary>Cells of <see cref="Pad.Symmetric"/> padding on each side (default <c>(kernel - 1) / 2</c>).</summary>
    public int PaddingSize { get; set; }
    /// <summary>In a block: the pool takes the stride the block is used with.</summary>
    public bool Strided { get; set; }
}

/// <summary>2-D max pooling.</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class MaxPool2dAttribute : PoolAttribute
{
    /// <param name="kernel">Square window size.</param>
    public MaxPool2dAttribute(int kernel) : base(kernel) { }
}

/// <summary>2-D average pooling; with SAME padding the padded cells are not counted, as in TensorFlow.</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class AvgPool2dAttribute : PoolAttribute
{
    /// <param name="kernel">Square window size.</param>
    public AvgPool2dAttribute(int kernel) : base(kernel) { }
}

/// <summary>
/// Global average pooling, <c>[C, H, W]</c> to <c>[C, 1, 1]</c> (TF-Slim's <c>reduce_mean(keep_dims=True)</c>,
/// torchvision's <c>AdaptiveAvgPool2d(1)</c>).
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class GlobalAvgPool2dAttribute : LayerAttribute
{
}

/// <summary>
/// TensorFlow's <c>tf.nn.lrn</c>: each value divided by <c>(Bias + Alpha * sum of squares)^Beta</c>, the sum over the
/// <c>2 * depthRadius + 1</c> channels around it (TF-Slim's CifarNet: <c>LocalResponseNorm(4, Alpha = 0.001 / 9, Beta = 0.75)</c>).
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class LocalResponseNormAttribute : LayerAttribute
{
    /// <param name="depthRadius">Channels on each side of the normalized one (TensorFlow's <c>depth_radius</c>).</param>
    public LocalResponseNormAttribute(int depthRadius) => DepthRadius = depthRadius;

    /// <summary>Channels on each side.</summary>
    public int DepthRadius { get; }
    /// <summary>Added to the scaled sum (default 1).</summary>
    public double Bias { get; set; }
    /// <summary>Scale of the sum of squares (default 1; TensorFlow's alpha, not divided by the window as PyTorch's is).</summary>
    public double Alpha { get; set; }
    /// <summary>Exponent (default 0.5).</summary>
    public double Beta { get; set; }
}

/// <summary>Dropout, active only in training mode.</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class DropoutAttribute : LayerAttribute
{
    /// <param name="rate">Drop probability in [0, 1) (PyTorch's <c>p</c>; TF-Slim's <c>keep_prob</c> is <c>1 - rate</c>).</param>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>Drop probability.</summary>
    public double Rate { get; }
    /// <summary>Makes the rate a constructor parameter with this name; the attribute's value is its default.</summary>
    public string? Parameter { get; set; }
}

/// <summary>Flattens every dimension but the batch, in PyTorch's (channel-major) order.</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>Batch normalization over the channel dimension (PyTorch semantics and defaults).</summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance (default 1e-5).</summary>
    public double Epsilon { get; set; }
    /// <summary>Running-statistics update factor (default 0.1; TF-Slim's decay is <c>1 - Momentum</c>).</summary>
    public double Momentum { get; set; }
    /// <summary>Activation after the normalization (default none).</summary>
    public Act Activation { get; set; }
    /// <summary>Whether the normalization learns a scale (gamma); default true as in PyTorch (TF-Slim's default is false).</summary>
    public bool Scale { get; set; }
}

/// <summary>
/// TF-Slim's <c>repeat</c>: <c>count</c> copies of one layer, named <c>scope/scope_1</c> ...
/// <c>scope/scope_n</c>. Example: <c>[Repeat(2, Conv2d, 64, 3, Scope = "conv1")]</c>.
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class RepeatAttribute : WeightedLayerAttribute
{
    /// <param name="count">Number of copies.</param>
    /// <param name="block">A <see cref="SlimBlockAttribute"/> class: <c>count</c> units named <c>scope/scope_1</c> ...; <see cref="Stride"/> applies to the first unit, as in torchvision.</param>
    /// <param name="args">The block's arguments, in the order its <see cref="SlimBlockAttribute"/> names them.</param>
    public RepeatAttribute(int count, Type block, params int[] args)
    {
        Count = count;
        Op = Op.Block;
        Block = block;
        Args = args;
    }

    /// <param name="count">Number of copies.</param>
    /// <param name="op">The layer to repeat.</param>
    /// <param name="args">The layer's constructor arguments, e.g. filters and kernel for <see cref="Op.Conv2d"/>.</param>
    public RepeatAttribute(int count, Op op, params int[] args)
    {
        Count = count;
        Op = op;
        Args = args;
    }

    /// <summary>Number of copies.</summary>
    public int Count { get; }
    /// <summary>The layer to repeat; <see cref="Op.Block"/> when <see cref="Block"/> is set.</summary>
    public Op Op { get; }
    /// <summary>The block to repeat, or null.</summary>
    public Type? Block { get; }
    /// <summary>The layer's or block's arguments.</summary>
    public int[] Args { get; }
    /// <summary>Stride of convolutions and pools.</summary>
    public int Stride { get; set; }
    /// <summary>Padding of convolutions and pools.</summary>
    public Pad Padding { get; set; }
}

/// <summary>
/// TF-Slim's <c>stack</c>: one layer per value, the value being its first argument (filters or units).
/// Example: <c>[Stack(FullyConnected, 32, 64, 128, Scope = "fc")]</c>; convolutions take <c>Kernel</c>.
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class StackAttribute : WeightedLayerAttribute
{
    /// <param name="op">The layer to stack.</param>
    /// <param name="values">The first argument of each layer.</param>
    public StackAttribute(Op op, params int[] values)
    {
        Op = op;
        Values = values;
    }

    /// <summary>The layer to stack.</summary>
    public Op Op { get; }
    /// <summary>The first argument of each layer.</summary>
    public int[] Values { get; }
    /// <summary>Kernel size of stacked convolutions and pools.</summary>
    public int Kernel { get; set; }
    /// <summary>Stride of convolutions and pools.</summary>
    public int Stride { get; set; }
    /// <summary>Padding of convolutions and pools.</summary>
    public Pad Padding { get; set; }
}
