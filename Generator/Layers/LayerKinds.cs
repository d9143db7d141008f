using System.Collections.Generic;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Layers;

/// <summary>The table of layer kinds, by op and by attribute class.</summary>
internal static class LayerKinds
{
    public static readonly IReadOnlyList<LayerKind> All = new LayerKind[]
    {
        new Conv2dKind(),
        new DepthwiseConv2dKind(),
        new PoolKind(Op.MaxPool2d, nameof(MaxPool2dAttribute), "max_pool2d"),
        new PoolKind(Op.AvgPool2d, nameof(AvgPool2dAttribute), "avg_pool2d"),
        new GlobalAvgPoolKind(),
        new FullyConnectedKind(),
        new DropoutKind(),
        new FlattenKind(),
        new BatchNormKind(),
        new LocalResponseNormKind(),
    };

    private static readonly Dictionary<Op, LayerKind> s_byOp = new();
    private static readonly Dictionary<string, LayerKind> s_byAttribute = new();

    static LayerKinds()
    {
        foreach (var kind in All)
        {
            s_byOp.Add(kind.Op, kind);
            s_byAttribute.Add(kind.AttributeName, kind);
        }
    }

    /// <summary>The kind of a layer op; null for the ops that are structure (a block use, a concat, an add) or undefined.</summary>
    public static LayerKind? Of(Op op) => s_byOp.TryGetValue(op, out var kind) ? kind : null;

    /// <summary>The kind that the attribute class of this name writes, if it is a layer attribute.</summary>
    public static LayerKind? ByAttribute(string attributeName) => s_byAttribute.TryGetValue(attributeName, out var kind) ? kind : null;

    /// <summary>The kind of a layer that the parser built, which always has one.</summary>
    public static LayerKind Of(LayerSpec layer) => s_byOp[layer.Op];
}
