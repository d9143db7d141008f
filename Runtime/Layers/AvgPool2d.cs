using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// TF-Slim's <c>avg_pool2d</c>: a window with TensorFlow's or PyTorch's padding. With <see cref="Pad.Same"/>, as in
/// TensorFlow, padded cells are not counted in a window's average; with <see cref="Pad.Symmetric"/>, as in PyTorch
/// (<c>count_include_pad=True</c>), they count as zeros.
/// </summary>
public sealed class AvgPool2d : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    private readonly Size2d kernelSize;
    private readonly Size2d stride;
    private readonly Pad padding;
    private readonly Size2d? paddingSize;

    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Height and width of the window: <c>3</c> or <c>(1, 3)</c>.</param>
    /// <param name="stride">Step of the window along height and width; null for 2.</param>
    /// <param name="padding">
    /// <see cref="Pad.Valid"/>, <see cref="Pad.Same"/> (TensorFlow's, computed from the actual input size at each
    /// call) or <see cref="Pad.Symmetric"/> (PyTorch's).
    /// </param>
    /// <param name="paddingSize">
    /// For <see cref="Pad.Symmetric"/> only: the cells on each side per dimension, at most half the window as
    /// PyTorch requires; null for <c>(kernel - 1) / 2</c>.
    /// </param>
    public AvgPool2d(Size2d kernelSize, Size2d? stride = null, Pad padding = LayerDefaults.PoolPadding, Size2d? paddingSize = null)
        : base(SlimRuntime.InitializeFor(nameof(AvgPool2d)))
    {
        WindowPadding.ValidatePool(kernelSize, stride, padding, paddingSize);
        this.kernelSize = kernelSize;
        this.stride = stride ?? LayerDefaults.PoolStride;
        this.padding = padding;
        this.paddingSize = paddingSize;
    }

    /// <summary>Pools a <c>[N, C, H, W]</c> batch.</summary>
    public override Tensor forward(Tensor input)
    {
        var windowPadding = WindowPadding.Resolve(input, kernelSize, stride, 1, padding, paddingSize);
        if (padding == Pad.Symmetric)
            return Pool(input, [windowPadding.Top, windowPadding.Left], countPadding: true);
        if (windowPadding.IsSymmetric)
            return Pool(input, [windowPadding.Top, windowPadding.Left]);

        // Explicit padding makes the padded zeros count as cells. Dividing by each window's share of real cells,
        // pooled the same way from a mask of ones, leaves the mean of the real cells only.
        var shape = input.shape;
        using var paddedMean = windowPadding.Apply(input, fill: 0, (x, pad) => Pool(x, pad));
        using var real = ones([1, 1, shape[^2], shape[^1]], input.dtype, input.device);
        using var realShare = windowPadding.Apply(real, fill: 0, (x, pad) => Pool(x, pad));
        return paddedMean.div(realShare);
    }

    // count_include_pad: false gives TensorFlow's semantics for the op's own symmetric padding.
    private Tensor Pool(Tensor input, long[] pad, bool countPadding = false) =>
        F.avg_pool2d(input, kernelSize.ToArray(), stride.ToArray(), pad, count_include_pad: countPadding);

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        graph.Node("AveragePool", scope, [input], ("kernel_shape", kernelSize.ToArray()), ("strides", stride.ToArray()),
            OnnxPadding.Attribute(inputShape, kernelSize, stride, 1, padding, paddingSize),
            ("count_include_pad", padding == Pad.Symmetric ? 1L : 0L));
}
