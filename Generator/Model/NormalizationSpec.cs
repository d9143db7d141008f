namespace SlimGen.Generator.Model;

/// <summary>A batch norm's settings, as a layer of its own or as a normalizer.</summary>
internal sealed record NormalizationSpec(double Epsilon, double Momentum, bool Scale, Act Activation);
