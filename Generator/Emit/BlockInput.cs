using System.Linq;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Emit;

/// <summary>What the block emitter needs, compared by value: the block and the blocks it uses.</summary>
internal sealed record BlockInput(BlockSpec Spec, BlockTable Blocks)
{
    /// <summary>
    /// Null for a block that cannot be written: one with SLIM errors (<see cref="ModelCheck.Block"/>), or one that uses a block that is missing, has
    /// errors, takes other arguments or contains it (the models that use it report why).
    /// </summary>
    public static BlockInput? From(BlockOutcome outcome, BlockTable blocks)
    {
        if (outcome.Spec is not { } spec) return null;
        var used = blocks.UsedBy(spec.Body);
        return !ModelCheck.HasErrors(ModelCheck.Block(outcome, used)) && IsWritable(spec, used, new System.Collections.Generic.List<string>())
            ? new BlockInput(spec, used) : null;
    }

    private static bool IsWritable(BlockSpec block, BlockTable blocks, System.Collections.Generic.List<string> open)
    {
        if (open.Contains(block.TypeName)) return false;
        open.Add(block.TypeName);
        var uses = block.Body.SelectMany(l => l.Branches is { } b ? b.SelectMany(x => x.Layers) : new[] { l }).Where(l => l.Block is not null);
        bool writable = uses.All(l => blocks.TryGetValue(l.Block!.TypeName, out var inner) && inner.Spec is { } spec
            && !ModelCheck.HasErrors(inner.Diagnostics) && spec.Parameters.Count == l.Block.Arguments.Count && IsWritable(spec, blocks, open));
        open.RemoveAt(open.Count - 1);
        return writable;
    }
}
