using System;
using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability <c>rate</c> and the survivors are
/// scaled by <c>1 / (1 - rate)</c>; in eval mode the layer is the identity. <c>rate</c> is PyTorch's <c>p</c>
/// (TF-Slim's <c>keep_prob</c> is <c>1 - rate</c>).
/// </summary>
public sealed class Dropout : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    private readonly double rate;

    /// <summary>Creates the layer.</summary>
    /// <param name="rate">The probability of dropping an element, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside [0, 1).</exception>
    public Dropout(double rate)
        : base(SlimRuntime.InitializeFor(nameof(Dropout)))
    {
        if (!(rate is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must lie in [0, 1).");
        this.rate = rate;
    }

    /// <summary>Drops elements of <paramref name="input"/> in training mode; returns it unchanged in eval mode.</summary>
    public override Tensor forward(Tensor input) => F.dropout(input, rate, training);

    /// <summary>Nothing: an exported model is for inference, where dropout is the identity.</summary>
    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) => input;
}
