using System.Collections.Generic;

namespace SlimGen.Generator.Model;

/// <summary>
/// The arg-scope keys of one attribute; null means "not given here", so that scopes can be layered
/// (explicit argument over class scopes over used scopes over assembly scopes over defaults).
/// </summary>
internal sealed record LayerArgs(
    Act? Activation = null,
    Pad? Padding = null,
    int? Stride = null,
    Init? WeightsInit = null,
    double? WeightsStddev = null,
    Init? BiasInit = null,
    double? WeightDecay = null,
    bool? UseBias = null,
    Norm? Normalizer = null,
    double? BiasValue = null,
    double? Epsilon = null,
    double? Momentum = null,
    bool? Scale = null)
{
    public static readonly LayerArgs None = new();

    /// <summary>These keys where given, <paramref name="lower"/>'s elsewhere.</summary>
    public LayerArgs Over(LayerArgs lower) => new(
        Activation ?? lower.Activation,
        Padding ?? lower.Padding,
        Stride ?? lower.Stride,
        WeightsInit ?? lower.WeightsInit,
        WeightsStddev ?? lower.WeightsStddev,
        BiasInit ?? lower.BiasInit,
        WeightDecay ?? lower.WeightDecay,
        UseBias ?? lower.UseBias,
        Normalizer ?? lower.Normalizer,
        BiasValue ?? lower.BiasValue,
        Epsilon ?? lower.Epsilon,
        Momentum ?? lower.Momentum,
        Scale ?? lower.Scale);

    /// <summary>These keys without <paramref name="key"/> (a name from <see cref="GivenKeys"/>).</summary>
    public LayerArgs Without(string key) => key switch
    {
        nameof(Activation) => this with { Activation = null },
        nameof(Padding) => this with { Padding = null },
        nameof(Stride) => this with { Stride = null },
        nameof(WeightsInit) => this with { WeightsInit = null },
        nameof(WeightsStddev) => this with { WeightsStddev = null },
        nameof(BiasInit) => this with { BiasInit = null },
        nameof(WeightDecay) => this with { WeightDecay = null },
        nameof(UseBias) => this with { UseBias = null },
        nameof(Normalizer) => this with { Normalizer = null },
        nameof(BiasValue) => this with { BiasValue = null },
        nameof(Epsilon) => this with { Epsilon = null },
        nameof(Momentum) => this with { Momentum = null },
        nameof(Scale) => this with { Scale = null },
        _ => this,
    };

    /// <summary>Names of the keys that were given, as written in the attribute.</summary>
    public IEnumerable<string> GivenKeys()
    {
        if (Activation is not null) yield return nameof(Activation);
        if (Padding is not null) yield return nameof(Padding);
        if (Stride is not null) yield return nameof(Stride);
        if (WeightsInit is not null) yield return nameof(WeightsInit);
        if (WeightsStddev is not null) yield return nameof(WeightsStddev);
        if (BiasInit is not null) yield return nameof(BiasInit);
        if (WeightDecay is not null) yield return nameof(WeightDecay);
        if (UseBias is not null) yield return nameof(UseBias);
        if (Normalizer is not null) yield return nameof(Normalizer);
        if (BiasValue is not null) yield return nameof(BiasValue);
        if (Epsilon is not null) yield return nameof(Epsilon);
        if (Momentum is not null) yield return nameof(Momentum);
        if (Scale is not null) yield return nameof(Scale);
    }
}
