using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// The runtime layers default to what the generator resolves for a key nothing sets: both read Shared/LayerDefaults.cs,
/// and this holds the constructors that still spell a default out to the same values. A null size (stride) stands for
/// LayerDefaults' value, which the layer substitutes.
/// </summary>
public class LayerDefaultsTests
{
    private static readonly Dictionary<string, object?> Weighted = new()
    {
        ["activation"] = LayerDefaults.WeightedActivation,
        ["useBias"] = LayerDefaults.UseBias,
        ["normalizer"] = LayerDefaults.Normalizer,
        ["weightsInit"] = LayerDefaults.WeightsInit,
        ["weightsStddev"] = LayerDefaults.WeightsStddev,
        ["biasInit"] = LayerDefaults.BiasInit,
        ["biasValue"] = 0.0,
        ["batchNorm"] = null,
    };

    private static readonly Dictionary<string, object?> Convolution = new(Weighted)
    {
        ["stride"] = null,
        ["padding"] = LayerDefaults.ConvolutionPadding,
        ["paddingSize"] = null,
        ["dilation"] = null,
    };

    private static readonly Dictionary<string, object?> Pool = new()
    {
        ["stride"] = null,
        ["padding"] = LayerDefaults.PoolPadding,
        ["paddingSize"] = null,
    };

    public static TheoryData<Type, Dictionary<string, object?>> Layers() => new()
    {
        { typeof(SlimGen.Layers.Conv2d), new(Convolution) { ["groups"] = 1 } },
        { typeof(SlimGen.Layers.DepthwiseConv2d), Convolution },
        { typeof(SlimGen.Layers.FullyConnected), Weighted },
        { typeof(SlimGen.Layers.MaxPool2d), Pool },
        { typeof(SlimGen.Layers.AvgPool2d), Pool },
        {
            typeof(SlimGen.Layers.BatchNorm), new()
            {
                ["epsilon"] = LayerDefaults.BatchNormEpsilon,
                ["momentum"] = LayerDefaults.BatchNormMomentum,
                ["scale"] = true,
                ["activation"] = LayerDefaults.BatchNormActivation,
            }
        },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Every_optional_layer_argument_defaults_to_the_shared_value(Type layer, Dictionary<string, object?> expected)
    {
        var optional = layer.GetConstructors().Single().GetParameters()
            .Where(p => p.HasDefaultValue && p.Name is not ("device" or "dtype"))
            .ToDictionary(p => p.Name!, p => p.DefaultValue);

        Assert.Equal(expected.Keys.OrderBy(k => k), optional.Keys.OrderBy(k => k));
        // Enums compare by value: the generator has its own copy of the enum types.
        Assert.All(expected, pair => Assert.Equal(Comparable(pair.Value), Comparable(optional[pair.Key])));
    }

    private static object? Comparable(object? value) => value is Enum ? Convert.ToInt64(value) : value;
}
