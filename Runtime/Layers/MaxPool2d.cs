using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>TF-Slim's <c>max_pool2d</c>: a window with TensorFlow's or PyTorch's padding, where padded cells never win.</summary>
public sealed class MaxPool2d : Pool2d
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Height and width of the window: <c>3</c> or <c>(1, 3)</c>.</param>
    /// <param name="stride">Step of the window along height and width; null for 2.</param>
    /// <param name="padding">
    /// <see cref="Pad.Valid"/>, <see cref="Pad.Same"/> (TensorFlow's, computed from the actual input size at each
    /// call) or <see cref="Pad.Symmetric"/> (PyTorch's); padded cells are -∞ in each.
    /// </param>
    /// <param name="paddingSize">
    /// For <see cref="Pad.Symmetric"/> only: the cells on each side per dimension, at most half the window as
    /// PyTorch requires; null for <c>(kernel - 1) / 2</c>.
    /// </param>
    public MaxPool2d(Size2d kernelSize, Size2d? stride = null, Pad padding = LayerDefaults.PoolPadding, Size2d? paddingSize = null)
        : base(nameof(MaxPool2d), kernelSize, stride, padding, paddingSize)
    {
    }

    /// <summary>Pools a <c>[N, C, H, W]</c> batch.</summary>
    public override Tensor forward(Tensor input)
    {
        var pads = PaddingOf(input);
        var shape = input.shape;
        if (!pads.IsSymmetric && pads.IsLeadingPaddingWithCeilMode(shape[^2], shape[^1], KernelSize, Stride))
            return F.max_pool2d(input, KernelSize.ToArray(), Stride.ToArray(), [pads.Top, pads.Left], ceil_mode: true);
        return pads.Apply(input, fill: double.NegativeInfinity, (x, pad) => F.max_pool2d(x, KernelSize.ToArray(), Stride.ToArray(), pad));
    }

    private protected override string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, "MaxPool", scope, input, inputShape);
}
