using System.Collections.Generic;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;

namespace SlimGen.Generator.Layers;

/// <summary>What convolutions and dense layers share: weights, a bias or a normalizer, an activation.</summary>
internal static class WeightedLayer
{
    /// <summary>The arg-scope keys every layer with weights reads.</summary>
    public static readonly IReadOnlyList<string> Keys = new[]
    {
        nameof(LayerArgs.Activation), nameof(LayerArgs.WeightsInit), nameof(LayerArgs.WeightsStddev), nameof(LayerArgs.BiasInit),
        nameof(LayerArgs.BiasValue), nameof(LayerArgs.WeightDecay), nameof(LayerArgs.UseBias), nameof(LayerArgs.Normalizer),
    };

    /// <summary>The weights as <paramref name="args"/> resolved them; the normalizer's settings come from the BatchNorm scopes.</summary>
    public static WeightsSpec Weights(LayerArgs args, ScopeChain scopes) => new(
        Activation: args.Activation ?? LayerDefaults.WeightedActivation,
        WeightsInit: args.WeightsInit is null or Init.Default ? LayerDefaults.WeightsInit : args.WeightsInit.Value,
        WeightsStddev: args.WeightsStddev ?? LayerDefaults.WeightsStddev,
        BiasInit: args.BiasInit is null or Init.Default ? LayerDefaults.BiasInit : args.BiasInit.Value,
        BiasValue: args.BiasValue ?? 0,
        WeightDecay: args.WeightDecay ?? LayerDefaults.WeightDecay,
        UseBias: args.UseBias ?? LayerDefaults.UseBias,
        Normalizer: args.Normalizer ?? LayerDefaults.Normalizer,
        BatchNorm: args.Normalizer == Norm.BatchNorm ? BatchNormKind.Normalization(scopes.Resolve(Op.BatchNorm, LayerArgs.None), Act.None) : null);

    /// <summary>Bias or normalizer parameters on top of the weights, for <paramref name="outputs"/> filters or units.</summary>
    public static long ExtraParameters(WeightsSpec weights, long outputs) =>
        weights.BatchNorm is { } batchNorm ? outputs * (batchNorm.Scale ? 2 : 1) : weights.HasBias ? outputs : 0;

    /// <summary>A size (filters, units) below 1 that no expression replaces.</summary>
    public static void CheckSize(LayerSpec layer, LayerKind kind, NumberCheck check)
    {
        if (layer.Size < 1 && layer.SizeExpression is null) check.Invalid(check.Values.SizeSource, kind.SizeName!, Numbers.Text(layer.Size), "at least 1");
    }

    /// <summary>
    /// Only what the layer uses as it resolved: a normalizer replaces the bias, and the stddev scales only the
    /// initializers that take a scale (the bias's too).
    /// </summary>
    public static void WriteArguments(WeightsSpec weights, ConstructorArguments arguments)
    {
        arguments.Add("activation", ConstructorArguments.Enum("Act", weights.Activation));
        arguments.Add("useBias", weights.HasBias ? "true" : "false");
        arguments.Add("normalizer", ConstructorArguments.Enum("Norm", weights.Normalizer));
        if (weights.BatchNorm is { } batchNorm && !IsDefault(batchNorm))
        {
            arguments.Add("batchNorm", $"new {Emit.LayerCode.Layers}.BatchNormOptions(Epsilon: {Numbers.DoubleLiteral(batchNorm.Epsilon)}, " +
                $"Momentum: {Numbers.DoubleLiteral(batchNorm.Momentum)}, Scale: {(batchNorm.Scale ? "true" : "false")})");
        }
        arguments.Add("weightsInit", ConstructorArguments.Enum("Init", weights.WeightsInit));
        if (IsScaled(weights.WeightsInit) || weights.HasBias && IsScaled(weights.BiasInit))
        {
            arguments.Add("weightsStddev", Numbers.DoubleLiteral(weights.WeightsStddev));
        }
        if (weights.HasBias)
        {
            arguments.Add("biasInit", ConstructorArguments.Enum("Init", weights.BiasInit));
            if (weights.BiasInit == Init.Constant) arguments.Add("biasValue", Numbers.DoubleLiteral(weights.BiasValue));
        }
        arguments.AddDevice();
    }

    private static bool IsScaled(Init init) => init is Init.Normal or Init.TruncatedNormal or Init.Uniform;

    private static bool IsDefault(NormalizationSpec batchNorm) =>
        batchNorm.Epsilon == LayerDefaults.BatchNormEpsilon && batchNorm.Momentum == LayerDefaults.BatchNormMomentum && batchNorm.Scale;
}
