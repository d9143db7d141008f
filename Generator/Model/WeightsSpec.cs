namespace SlimGen.Generator.Model;

/// <summary>How a convolution or dense layer makes, uses and regularizes its weights, as its arg scopes resolved.</summary>
/// <param name="BatchNorm">The normalizer's settings when <see cref="Normalizer"/> is <see cref="Norm.BatchNorm"/>.</param>
internal sealed record WeightsSpec(
    Act Activation, Init WeightsInit, double WeightsStddev, Init BiasInit, double BiasValue, double WeightDecay, bool UseBias, Norm Normalizer,
    NormalizationSpec? BatchNorm)
{
    /// <summary>Whether the layer owns a bias (TF-Slim drops it when a normalizer follows).</summary>
    public bool HasBias => UseBias && Normalizer == Norm.None;
}
