using System.Collections.Generic;
using System.Linq;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>
/// A block's body with one use's arguments put in: sizes evaluated, <c>Strided</c> windows given the use's stride.
/// What the generated block computes at run time for the same arguments.
/// </summary>
internal static class BlockInstance
{
    /// <summary>The values of the block's names for a use: its parameters and <c>in</c> (left out where unknown).</summary>
    public static Dictionary<string, long> Values(BlockSpec block, BlockUseSpec use, long? inputChannels)
    {
        var values = new Dictionary<string, long>();
        if (inputChannels is { } known) values[Expression.InputChannels] = known;
        for (int i = 0; i < block.Parameters.Count; i++)
        {
            values[block.Parameters[i]] = use.Arguments[i];
        }
        return values;
    }

    /// <summary>Whether any layer of the body (in branches too) takes the block's stride.</summary>
    public static bool TakesStride(BlockSpec block) => block.Body.Any(TakesStride);

    private static bool TakesStride(LayerSpec layer) =>
        layer.Window is { Strided: true } || layer.Branches is { } branches && branches.Any(b => b.Layers.Any(TakesStride));

    /// <summary>The layer for this use; null with the expression and its problem when a size does not evaluate to at least 1.</summary>
    public static LayerSpec? Resolve(LayerSpec layer, int stride, IReadOnlyDictionary<string, long> values, out (Expression Expression, string Problem)? failure)
    {
        failure = null;
        var resolved = layer.Window is { } window ? layer with { Window = window.WithBlockStride(stride) } : layer;
        if (layer.Branches is { } branches)
        {
            var resolvedBranches = new List<BranchSpec>();
            foreach (var branch in branches)
            {
                var layers = new List<LayerSpec>();
                foreach (var inner in branch.Layers)
                {
                    if (Resolve(inner, stride, values, out failure) is not { } resolvedInner) return null;
                    layers.Add(resolvedInner);
                }
                resolvedBranches.Add(branch with { Layers = layers.ToEquatableArray() });
            }
            return resolved with { Branches = resolvedBranches.ToEquatableArray() };
        }
        if (layer.SizeExpression is { } expression)
        {
            var size = expression.Evaluate(values, out var problem);
            if (size is null || size < 1)
            {
                failure = (expression, problem ?? "");
                return null;
            }
            resolved = resolved with { Size = size.Value, SizeExpression = null };
        }
        return resolved;
    }
}
