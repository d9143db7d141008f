using System.Collections.Immutable;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// Arg-scope resolution, most specific first: explicit argument, class scopes (later over earlier),
/// scopes from <c>[UseArgScope]</c> classes, assembly scopes. Defaults are applied by the caller.
/// </summary>
internal sealed class ScopeChain
{
    private readonly ImmutableArray<ArgScopeSpec> _classScopes;
    private readonly ImmutableArray<ArgScopeSpec> _usedScopes;
    private readonly ImmutableArray<ArgScopeSpec> _assemblyScopes;

    public ScopeChain(ImmutableArray<ArgScopeSpec> classScopes, ImmutableArray<ArgScopeSpec> usedScopes, ImmutableArray<ArgScopeSpec> assemblyScopes)
    {
        _classScopes = classScopes;
        _usedScopes = usedScopes;
        _assemblyScopes = assemblyScopes;
    }

    public LayerArgs Resolve(Op op, LayerArgs explicitArgs) =>
        explicitArgs.Over(Fold(_classScopes, op).Over(Fold(_usedScopes, op).Over(Fold(_assemblyScopes, op))));

    private static LayerArgs Fold(ImmutableArray<ArgScopeSpec> scopes, Op op)
    {
        var result = LayerArgs.None;
        foreach (var scope in scopes)
        {
            if (scope.Ops.AsImmutableArray().Contains(op))
            {
                result = scope.Args.Over(result);
            }
        }
        return result;
    }
}
