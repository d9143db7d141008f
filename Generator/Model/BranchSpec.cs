namespace SlimGen.Generator.Model;

/// <summary>One branch of a block's branch group: its scope and its layers, which read the group's input.</summary>
internal sealed record BranchSpec(string Name, SourceRef Source, EquatableArray<LayerSpec> Layers);
