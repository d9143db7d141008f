using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>Flattens every dimension but the batch: <c>[N, C, H, W]</c> becomes <c>[N, C·H·W]</c> in PyTorch's (channel-major) order.</summary>
public sealed class Flatten : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    /// <summary>Creates the layer.</summary>
    public Flatten()
        : base(SlimRuntime.InitializeFor(nameof(Flatten)))
    {
    }

    /// <summary>Flattens <paramref name="input"/> from its second dimension on.</summary>
    public override Tensor forward(Tensor input) => input.flatten(start_dim: 1);

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) => graph.Node("Flatten", scope, [input], ("axis", 1L));
}
