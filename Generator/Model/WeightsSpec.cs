namespace SlimGen.Generator.Model;

/// <summary>How a convolution or dense layer makes, uses and regularizes its weights, as its arg scopes resolved.</summary>
internal sealed record WeightsSpec(
    Act Activation, Init WeightsInit, double WeightsStddev, Init BiasInit, double WeightDecay, bool UseBias, Norm Normalizer)
{
    /// <summary>Whether the layer owns a bias (TF-Slim drops it when a normalizer follows).</summary>
    public bool HasBias => UseBias && Normalizer == Norm.None;
}
