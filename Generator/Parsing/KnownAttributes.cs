using Microsoft.CodeAnalysis;
using SlimGen.Generator.Layers;

namespace SlimGen.Generator.Parsing;

/// <summary>What a SlimGen attribute on a model or block class is.</summary>
internal enum AttributeRole
{
    /// <summary>Not one of SlimGen's attributes.</summary>
    Other,
    Model,
    /// <summary><c>[SlimBlock]</c>: the class is a block.</summary>
    Block,
    ArgScope,
    UseArgScope,
    /// <summary>A layer, or a use of a block (<c>[Block]</c>, with <see cref="Op.Block"/>).</summary>
    Layer,
    Repeat,
    Stack,
    Branch,
    Concat,
    Residual,
}

/// <summary>Names of the attribute vocabulary in SlimGen.Attributes.</summary>
internal static class KnownAttributes
{
    public const string Namespace = "SlimGen";
    public const string SlimModel = Namespace + "." + nameof(SlimModelAttribute);
    public const string SlimBlock = Namespace + "." + nameof(SlimBlockAttribute);

    public static AttributeRole RoleOf(INamedTypeSymbol? attributeClass, out Op op)
    {
        op = default;
        if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != Namespace)
        {
            return AttributeRole.Other;
        }

        switch (attributeClass.Name)
        {
            case nameof(SlimModelAttribute): return AttributeRole.Model;
            case nameof(SlimBlockAttribute): return AttributeRole.Block;
            case nameof(ArgScopeAttribute): return AttributeRole.ArgScope;
            case nameof(UseArgScopeAttribute): return AttributeRole.UseArgScope;
            case nameof(RepeatAttribute): return AttributeRole.Repeat;
            case nameof(StackAttribute): return AttributeRole.Stack;
            case nameof(BranchAttribute): return AttributeRole.Branch;
            case nameof(ConcatAttribute): return AttributeRole.Concat;
            case nameof(ResidualAttribute): return AttributeRole.Residual;
            case nameof(BlockAttribute): op = Op.Block; return AttributeRole.Layer;
            case nameof(AuxHeadAttribute): op = Op.Block; return AttributeRole.Layer;
            default:
                if (LayerKinds.ByAttribute(attributeClass.Name) is not { } kind) return AttributeRole.Other;
                op = kind.Op;
                return AttributeRole.Layer;
        }
    }

    /// <summary>
    /// Whether SlimGen's own attribute of this kind has a constructor with <paramref name="count"/> arguments (a
    /// <c>params</c> array counts as one), so that a look-alike attribute is never indexed past its end.
    /// </summary>
    public static bool HasArity(AttributeRole role, Op op, int count) => role switch
    {
        AttributeRole.Repeat => count == 3,
        AttributeRole.Stack => count == 2,
        AttributeRole.Concat or AttributeRole.Residual => count == 0,
        AttributeRole.Layer => op == Op.Block ? count == 2 : LayerKinds.Of(op)?.HasArity(count) == true,
        _ => count == 1,
    };
}
