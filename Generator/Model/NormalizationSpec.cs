namespace SlimGen.Generator.Model;

/// <summary>A batch-norm layer's settings.</summary>
internal sealed record NormalizationSpec(double Epsilon, double Momentum, Act Activation);
