namespace SlimGen.Generator.Model;

/// <summary>
/// A <c>[SlimBlock]</c> class: its parameters and body, settings resolved by its own arg scopes. Compares by value
/// for incremental caching; models refer to it by <see cref="TypeName"/>.
/// </summary>
/// <param name="Namespace">Containing namespace, null for the global namespace.</param>
/// <param name="TypeName">Fully qualified with <c>global::</c>.</param>
internal sealed record BlockSpec(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string ClassName,
    string TypeName,
    bool DeclaresBaseType,
    EquatableArray<string> Parameters,
    EquatableArray<LayerSpec> Body,
    ResidualSpec? Residual);
