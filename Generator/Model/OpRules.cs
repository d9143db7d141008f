using System;
using System.Collections.Generic;

namespace SlimGen.Generator.Model;

/// <summary>Per-op facts: which arg-scope keys apply, defaults, names and argument lists.</summary>
internal static class OpRules
{
    private static readonly string[] WeightedKeys =
        { "Activation", "Padding", "Stride", "WeightsInit", "WeightsStddev", "BiasInit", "BiasValue", "WeightDecay", "UseBias", "Normalizer" };

    private static readonly string[] DenseKeys =
        { "Activation", "WeightsInit", "WeightsStddev", "BiasInit", "BiasValue", "WeightDecay", "UseBias", "Normalizer" };

    private static readonly string[] PoolKeys = { "Padding", "Stride" };

    /// <summary>Also read by the batch-norm normalizers of convolutions and dense layers.</summary>
    private static readonly string[] NormKeys = { "Activation", "Epsilon", "Momentum", "Scale" };

    /// <summary>The arg-scope keys an op reads.</summary>
    public static IReadOnlyList<string> KeysOf(Op op) => op switch
    {
        Op.Conv2d or Op.DepthwiseConv2d => WeightedKeys,
        Op.FullyConnected => DenseKeys,
        Op.MaxPool2d or Op.AvgPool2d => PoolKeys,
        Op.BatchNorm => NormKeys,
        _ => Array.Empty<string>(),
    };

    public static bool Applies(Op op, string key)
    {
        foreach (var candidate in KeysOf(op))
        {
            if (candidate == key) return true;
        }
        return false;
    }

    /// <summary>TF-Slim-style default name of an unscoped layer.</summary>
    public static string DefaultName(Op op) => op switch
    {
        Op.Conv2d => "conv2d",
        Op.MaxPool2d => "max_pool2d",
        Op.AvgPool2d => "avg_pool2d",
        Op.FullyConnected => "fully_connected",
        Op.Dropout => "dropout",
        Op.Flatten => "flatten",
        Op.BatchNorm => "batch_norm",
        Op.DepthwiseConv2d => "depthwise_conv2d",
        Op.GlobalAvgPool2d => "global_pool",
        Op.LocalResponseNorm => "lrn",
        Op.Block => "block",
        _ => "layer",
    };

    /// <summary>The int arguments <c>[Repeat]</c> passes to an op, or null when it cannot be repeated with ints.</summary>
    public static string[]? RepeatArguments(Op op) => op switch
    {
        Op.Conv2d => new[] { "filters", "kernel" },
        Op.FullyConnected => new[] { "units" },
        Op.MaxPool2d or Op.AvgPool2d => new[] { "kernel" },
        Op.DepthwiseConv2d => new[] { "kernel" },
        Op.Flatten or Op.BatchNorm or Op.GlobalAvgPool2d => Array.Empty<string>(),
        _ => null,
    };

    /// <summary>Whether <c>Parameter</c> can turn the op's size (filters, units) or rate into a constructor parameter.</summary>
    public static bool TakesParameter(Op op) => op is Op.Conv2d or Op.FullyConnected or Op.Dropout;

    /// <summary>Whether <c>[Stack]</c> can build the op from one int per layer.</summary>
    public static bool Stackable(Op op) => op is Op.Conv2d or Op.FullyConnected or Op.MaxPool2d or Op.AvgPool2d;

    public static int DefaultStride(Op op) => IsPool(op) ? LayerDefaults.PoolStride : LayerDefaults.ConvolutionStride;

    public static Pad DefaultPadding(Op op) => IsPool(op) ? LayerDefaults.PoolPadding : LayerDefaults.ConvolutionPadding;

    public static Act DefaultActivation(Op op) => HasWeights(op) ? LayerDefaults.WeightedActivation : LayerDefaults.BatchNormActivation;

    public static bool IsPool(Op op) => op is Op.MaxPool2d or Op.AvgPool2d;

    /// <summary>Convolutions and pools: ops with a sliding window.</summary>
    public static bool HasWindow(Op op) => op is Op.Conv2d or Op.DepthwiseConv2d or Op.MaxPool2d or Op.AvgPool2d;

    /// <summary>Convolutions and dense layers: ops with weights, a bias or normalizer, and an activation.</summary>
    public static bool HasWeights(Op op) => op is Op.Conv2d or Op.DepthwiseConv2d or Op.FullyConnected;
}
