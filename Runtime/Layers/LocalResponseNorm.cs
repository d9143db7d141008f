using System;
using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// TensorFlow's <c>tf.nn.lrn</c>, as TF-Slim's CifarNet and AlexNet v2 use it: each value divided by
/// <c>(bias + alpha * s)^beta</c>, where <c>s</c> sums the squares over the <c>2 * depthRadius + 1</c> channels around it
/// (fewer at the edges). PyTorch's <c>local_response_norm</c> divides alpha by the window, so it runs with
/// <c>alpha * (2r + 1)</c>.
/// </summary>
public sealed class LocalResponseNorm : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    private readonly int depthRadius;
    private readonly double bias;
    private readonly double alpha;
    private readonly double beta;

    /// <summary>Creates the layer with TensorFlow's parameters.</summary>
    /// <param name="depthRadius">Channels on each side of the normalized one.</param>
    /// <param name="bias">Added to the scaled sum.</param>
    /// <param name="alpha">Scale of the sum of squares.</param>
    /// <param name="beta">Exponent.</param>
    public LocalResponseNorm(int depthRadius, double bias = 1, double alpha = 1, double beta = 0.5)
        : base(SlimRuntime.InitializeFor(nameof(LocalResponseNorm)))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depthRadius);
        this.depthRadius = depthRadius;
        this.bias = bias;
        this.alpha = alpha;
        this.beta = beta;
    }

    private long Window => 2L * depthRadius + 1;

    /// <summary>Normalizes a <c>[N, C, H, W]</c> batch across its channels.</summary>
    public override Tensor forward(Tensor input) =>
        F.local_response_norm(input, Window, alpha * Window, beta, bias);

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        graph.Node("LRN", scope, [input], ("size", Window), ("alpha", (float)(alpha * Window)), ("beta", (float)beta), ("bias", (float)bias));
}
