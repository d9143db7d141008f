using System.Collections.Generic;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>
/// The channel counts that a block's constants fix whatever its input: after <c>[Conv2d(64)]</c>, a depthwise
/// multiple of it, a concat of such branches, a nested block used with constant arguments. The generated constructor
/// writes each as constant arithmetic on int literals (<c>64 * 2</c>), which C# refuses past int's range, so a block
/// with a larger fixed count gets SLIM030 and is not written.
/// </summary>
internal static class FixedChannels
{
    /// <summary>The most channels a layer can have: int's range, that of the sizes and multipliers in attributes.</summary>
    public const long Limit = int.MaxValue;

    /// <summary>The first layer of the body whose fixed count passes <see cref="Limit"/>, and the count; null if none does.</summary>
    /// <param name="blocks">The blocks it uses; a block missing here counts as of unknown output.</param>
    public static (LayerSpec Layer, long Channels)? FirstOverLimit(BlockSpec block, IReadOnlyDictionary<string, BlockOutcome> blocks)
    {
        var walker = new Walker(blocks);
        long? channels = null;
        foreach (var layer in block.Body)
        {
            channels = walker.Next(layer, channels, new Dictionary<string, long>());
            if (walker.Over is { } over) return (layer, over);
        }
        return null;
    }

    private sealed class Walker
    {
        private readonly IReadOnlyDictionary<string, BlockOutcome> _blocks;
        private readonly HashSet<string> _open = new();

        public Walker(IReadOnlyDictionary<string, BlockOutcome> blocks) => _blocks = blocks;

        /// <summary>The first fixed count past the limit; the walk stops there, so no sum or product leaves 64 bits.</summary>
        public long? Over { get; private set; }

        /// <summary>The layer's output channels from its input's (null where they depend on the input or a parameter).</summary>
        public long? Next(LayerSpec layer, long? input, IReadOnlyDictionary<string, long> values)
        {
            long? output = layer switch
            {
                { Branches: { } branches } => Concat(branches, input, values),
                { Block: { } use } => Block(use, input),
                _ => LayerKinds.Of(layer).Channels(layer) switch
                {
                    { Kind: ChannelRule.Kinds.Size } => layer.SizeExpression is { } size ? size.Evaluate(values, out _) : layer.Size,
                    { Kind: ChannelRule.Kinds.Multiple, Multiplier: var multiplier } => input * multiplier,
                    _ => input,
                },
            };
            if (Over is null && output > Limit) Over = output;
            return Over is null ? output : null;
        }

        private long? Concat(EquatableArray<BranchSpec> branches, long? input, IReadOnlyDictionary<string, long> values)
        {
            long? sum = 0;
            foreach (var branch in branches)
            {
                long? channels = input;
                foreach (var layer in branch.Layers) channels = Next(layer, channels, values);
                sum += channels;
            }
            return sum;
        }

        private long? Block(BlockUseSpec use, long? input)
        {
            // A block that contains itself is reported on the model that uses it (SLIM024); here it stays unknown.
            if (!_blocks.TryGetValue(use.TypeName, out var outcome) || outcome.Spec is not { } block
                || block.Parameters.Count != use.Arguments.Count || !_open.Add(use.TypeName))
                return null;
            var values = BlockInstance.Values(block, use, input);
            long? channels = input;
            foreach (var layer in block.Body) channels = Next(layer, channels, values);
            _open.Remove(use.TypeName);
            return channels;
        }
    }
}
