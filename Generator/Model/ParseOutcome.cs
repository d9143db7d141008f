namespace SlimGen.Generator.Model;

/// <summary>The parser's result: a spec when the attributes could be read, and the problems found.</summary>
/// <param name="Spec">Null when the model cannot be built at all (unbound attributes, unsupported class).</param>
internal sealed record ParseOutcome(ModelSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics);
