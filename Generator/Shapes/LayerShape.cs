using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>What one layer does to the shape, and what it costs.</summary>
internal sealed record LayerShape(EquatableArray<Dim> Input, EquatableArray<Dim> Output, long Parameters, long Macs)
{
    /// <summary>float32 bytes of one example's output that the layer allocates (0 for a view such as Flatten).</summary>
    public long OutputBytes { get; init; }

    /// <summary>
    /// The layer's summary rows, with their full paths: its own row, or for a block use or concat the rows of its
    /// layers, merges and nested blocks in execution order, whose parameters and MACs add up to this layer's.
    /// </summary>
    public EquatableArray<SummaryRow> Rows { get; init; } = EquatableArray<SummaryRow>.Empty;
}

/// <summary>One row of the compile-time summary.</summary>
/// <param name="Inputs">The paths of the rows it reads, "" for the model's input; empty for the row before it.</param>
/// <param name="Activation">The activation after a residual add.</param>
internal sealed record SummaryRow(string Path, Op Op, EquatableArray<long> Output, long Parameters, long Macs, long OutputBytes)
{
    public EquatableArray<string> Inputs { get; init; } = EquatableArray<string>.Empty;

    public Act Activation { get; init; }

    /// <summary>In a model of variable size, the shape with its forms: <c>[N, 256, ceil(H/4), ceil(W/4)]</c>.</summary>
    public string? Symbolic { get; init; }
}
