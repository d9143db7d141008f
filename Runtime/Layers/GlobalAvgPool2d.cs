using System;
using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>
/// The mean over the whole spatial extent, <c>[N, C, H, W]</c> to <c>[N, C, 1, 1]</c>, for any H and W: TF-Slim's
/// <c>reduce_mean(net, [1, 2], keepdims=True)</c> at the end of ResNet and MobileNet, torchvision's
/// <c>AdaptiveAvgPool2d(1)</c>.
/// </summary>
public sealed class GlobalAvgPool2d : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    /// <summary>Creates the layer.</summary>
    public GlobalAvgPool2d()
        : base(SlimRuntime.InitializeFor(nameof(GlobalAvgPool2d)))
    {
    }

    /// <summary>Averages each channel of a <c>[N, C, H, W]</c> batch.</summary>
    /// <exception cref="ArgumentException">The input does not have four dimensions.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
        {
            throw new ArgumentException(
                $"GlobalAvgPool2d expects input of shape [N, C, H, W], but got {ShapeGuard.Format(input.shape)}.", nameof(input));
        }
        return input.mean([2, 3], keepdim: true);
    }

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        graph.Node("GlobalAveragePool", scope, [input]);
}
