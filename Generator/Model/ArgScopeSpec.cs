namespace SlimGen.Generator.Model;

/// <summary>One <c>[ArgScope]</c>: the ops it targets and the keys it sets.</summary>
internal sealed record ArgScopeSpec(EquatableArray<Op> Ops, LayerArgs Args, SourceRef Source);
