using System;
using System.Collections.Generic;
using SlimGen.Onnx;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// TF-Slim's <c>fully_connected</c>: <c>x · weightᵀ</c>, then a bias or a normalizer (over the features), then an
/// activation. The <see cref="WeightedLayer.weight"/> is <c>[out, in]</c>, PyTorch's layout.
/// </summary>
public sealed class FullyConnected : WeightedLayer
{
    /// <summary>Creates the layer and initializes its parameters.</summary>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features (TF-Slim's <c>num_outputs</c>).</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="useBias">Whether to add a bias; ignored (no bias) when <paramref name="normalizer"/> is set.</param>
    /// <param name="normalizer">Applied between the product and the activation.</param>
    /// <param name="weightsInit">Weight initializer; <see cref="Init.Default"/> means <see cref="Init.Xavier"/>.</param>
    /// <param name="weightsStddev">Scale of the stddev-based initializers, for the weights and the bias.</param>
    /// <param name="biasInit">Bias initializer; <see cref="Init.Default"/> means <see cref="Init.Zeros"/>.</param>
    /// <param name="biasValue">The bias of <see cref="Init.Constant"/>.</param>
    /// <param name="batchNorm">The batch norm of <see cref="Norm.BatchNorm"/>; null for the defaults.</param>
    /// <param name="device">Where to create the tensors; the default device when null.</param>
    /// <param name="dtype">Element type of the tensors; the default type when null.</param>
    public FullyConnected(
        long inFeatures, long outFeatures, Act activation = LayerDefaults.WeightedActivation, bool useBias = LayerDefaults.UseBias,
        Norm normalizer = LayerDefaults.Normalizer, Init weightsInit = LayerDefaults.WeightsInit,
        double weightsStddev = LayerDefaults.WeightsStddev, Init biasInit = LayerDefaults.BiasInit, double biasValue = 0,
        BatchNormOptions? batchNorm = null, Device? device = null, ScalarType? dtype = null)
        : base(nameof(FullyConnected), WeightShape(inFeatures, outFeatures), activation, useBias, normalizer,
               weightsInit, weightsStddev, biasInit, biasValue, batchNorm, device, dtype)
    {
    }

    /// <summary>Maps a <c>[N, in]</c> batch to <c>[N, out]</c>, then normalizes and activates.</summary>
    public override Tensor forward(Tensor input) => NormalizeAndActivate(F.linear(input, weight, bias));

    private protected override string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, scope, input, inputs => graph.Node("Gemm", scope, inputs, ("transB", 1L)));

    // Validates before the base constructor allocates anything.
    private static long[] WeightShape(long inFeatures, long outFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        return [outFeatures, inFeatures];
    }
}
