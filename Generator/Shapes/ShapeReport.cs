using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>Shapes of every layer of a valid model, or the diagnostics that make it invalid.</summary>
internal sealed record ShapeReport(EquatableArray<LayerShape> Layers, long TotalParameters, long TotalMacs, EquatableArray<ModelDiagnostic> Diagnostics)
{
    public bool IsValid => !ModelCheck.HasErrors(Diagnostics);

    /// <summary>For a model of variable size, the smallest input it accepts, <c>[C, H, W]</c>.</summary>
    public EquatableArray<long>? MinimumInput { get; init; }

    /// <summary>The same with every auxiliary head built (an auxiliary head may need a larger input).</summary>
    public EquatableArray<long>? MinimumInputWithHeads { get; init; }
}
