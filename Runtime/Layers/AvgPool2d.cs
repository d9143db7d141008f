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
public sealed class AvgPool2d : Pool2d
{
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
        : base(nameof(AvgPool2d), kernelSize, stride, padding, paddingSize)
    {
    }

    /// <summary>Pools a <c>[N, C, H, W]</c> batch.</summary>
    public override Tensor forward(Tensor input)
    {
        var windowPadding = PaddingOf(input);
        if (Padding == Pad.Symmetric)
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
        F.avg_pool2d(input, KernelSize.ToArray(), Stride.ToArray(), pad, count_include_pad: countPadding);

    private protected override string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, "AveragePool", scope, input, inputShape, ("count_include_pad", Padding == Pad.Symmetric ? 1L : 0L));
}
