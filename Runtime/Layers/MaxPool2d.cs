using System.Collections.Generic;
using System;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>TF-Slim's <c>max_pool2d</c>: a square window with TensorFlow padding, where padded cells never win.</summary>
public sealed class MaxPool2d : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    private readonly int kernelSize;
    private readonly int stride;
    private readonly Pad padding;

    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">Height and width of the window.</param>
    /// <param name="stride">Step of the window along height and width.</param>
    /// <param name="padding">TensorFlow padding, computed from the actual input size at each call.</param>
    public MaxPool2d(int kernelSize, int stride = LayerDefaults.PoolStride, Pad padding = LayerDefaults.PoolPadding)
        : base(SlimRuntime.InitializeFor(nameof(MaxPool2d)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    /// <summary>Pools a <c>[N, C, H, W]</c> batch.</summary>
    public override Tensor forward(Tensor input) =>
        WindowPadding.Resolve(input, kernelSize, stride, padding)
            .Apply(input, fill: double.NegativeInfinity, (x, pad) => F.max_pool2d(x, [kernelSize, kernelSize], [stride, stride], pad));

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        graph.Node("MaxPool", scope, [input], ("kernel_shape", new long[] { kernelSize, kernelSize }),
            ("strides", new long[] { stride, stride }), ("pads", OnnxPadding.Pads(padding, inputShape, kernelSize, stride)));
}
