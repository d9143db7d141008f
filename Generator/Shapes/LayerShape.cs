using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>What one layer does to the shape, and what it costs.</summary>
internal sealed record LayerShape(EquatableArray<Dim> Input, EquatableArray<Dim> Output, long Parameters, long Macs)
{
    /// <summary>float32 bytes of one example's output that the layer allocates (0 for a view such as Flatten).</summary>
    public long OutputBytes { get; init; }
}
