namespace SlimGen.Generator.Model;

/// <summary>The block parser's result: a spec when the block can be built, and the problems found in it.</summary>
internal sealed record BlockOutcome(string TypeName, BlockSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics);
