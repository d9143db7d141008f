namespace SlimGen.Generator.Model;

/// <summary>Everything the emitter needs about a model; compares by value for incremental caching.</summary>
/// <param name="Namespace">Containing namespace, null for the global namespace.</param>
/// <param name="ContainingTypes">The enclosing types, outermost first.</param>
/// <param name="DeclaresBaseType">Whether the user wrote a base type, so the generator must not add one.</param>
/// <param name="Parameters">The constructor's parameters before <c>device</c> and <c>dtype</c>, in declaration order.</param>
internal sealed record ModelSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    bool DeclaresBaseType,
    EquatableArray<int> InputShape,
    EquatableArray<int>? OutputShape,
    EquatableArray<LayerSpec> Layers,
    EquatableArray<ModelParameter> Parameters)
{
    /// <summary>Whether the model accepts any height and width from its minimum (<c>VariableSize = true</c>).</summary>
    public bool VariableSize { get; init; }
}
