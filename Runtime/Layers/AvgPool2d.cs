using System.Collections.Generic;
using System;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// TF-Slim's <c>avg_pool2d</c>: a square window with TensorFlow padding; as in TensorFlow, padded cells are not
/// counted in a window's average.
/// </summary>
public sealed class AvgPool2d : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    private readonly int kernelSize;
    private readonly int stride;
    private readonly Pad padding;

    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Height and width of the window.</param>
    /// <param name="stride">Step of the window along height and width.</param>
    /// <param name="padding">TensorFlow padding, computed from the actual input size at each call.</param>
    public AvgPool2d(int kernelSize, int stride = LayerDefaults.PoolStride, Pad padding = LayerDefaults.PoolPadding)
        : base(SlimRuntime.InitializeFor(nameof(AvgPool2d)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    /// <summary>Pools a <c>[N, C, H, W]</c> batch.</summary>
    public override Tensor forward(Tensor input)
    {
        var windowPadding = WindowPadding.Resolve(input, kernelSize, stride, padding);
        if (windowPadding.IsSymmetric)
            return Pool(input, [windowPadding.Top, windowPadding.Left]);

        // Explicit padding makes the padded zeros count as cells. Dividing by each window's share of real cells,
        // pooled the same way from a mask of ones, leaves the mean of the real cells only.
        var shape = input.shape;
        using var paddedMean = windowPadding.Apply(input, fill: 0, Pool);
        using var real = ones([1, 1, shape[^2], shape[^1]], input.dtype, input.device);
        using var realShare = windowPadding.Apply(real, fill: 0, Pool);
        return paddedMean.div(realShare);
    }

    // count_include_pad: false gives TensorFlow's semantics for the op's own symmetric padding.
    private Tensor Pool(Tensor input, long[] pad) =>
        F.avg_pool2d(input, [kernelSize, kernelSize], [stride, stride], pad, count_include_pad: false);

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        graph.Node("AveragePool", scope, [input], ("kernel_shape", new long[] { kernelSize, kernelSize }),
            ("strides", new long[] { stride, stride }), ("pads", OnnxPadding.Pads(padding, inputShape, kernelSize, stride)), ("count_include_pad", 0L));
}
