using Microsoft.CodeAnalysis;

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
    public const string SlimModel = "SlimGen.SlimModelAttribute";
    public const string SlimBlock = "SlimGen.SlimBlockAttribute";

    public static AttributeRole RoleOf(INamedTypeSymbol? attributeClass, out Op op)
    {
        op = default;
        if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != Namespace)
        {
            return AttributeRole.Other;
        }

        switch (attributeClass.Name)
        {
            case "SlimModelAttribute": return AttributeRole.Model;
            case "SlimBlockAttribute": return AttributeRole.Block;
            case "ArgScopeAttribute": return AttributeRole.ArgScope;
            case "UseArgScopeAttribute": return AttributeRole.UseArgScope;
            case "RepeatAttribute": return AttributeRole.Repeat;
            case "StackAttribute": return AttributeRole.Stack;
            case "BranchAttribute": return AttributeRole.Branch;
            case "ConcatAttribute": return AttributeRole.Concat;
            case "ResidualAttribute": return AttributeRole.Residual;
            case "BlockAttribute": op = Op.Block; return AttributeRole.Layer;
            case "AuxHeadAttribute": op = Op.Block; return AttributeRole.Layer;
            case "Conv2dAttribute": op = Op.Conv2d; return AttributeRole.Layer;
            case "DepthwiseConv2dAttribute": op = Op.DepthwiseConv2d; return AttributeRole.Layer;
            case "MaxPool2dAttribute": op = Op.MaxPool2d; return AttributeRole.Layer;
            case "AvgPool2dAttribute": op = Op.AvgPool2d; return AttributeRole.Layer;
            case "GlobalAvgPool2dAttribute": op = Op.GlobalAvgPool2d; return AttributeRole.Layer;
            case "LocalResponseNormAttribute": op = Op.LocalResponseNorm; return AttributeRole.Layer;
            case "FullyConnectedAttribute": op = Op.FullyConnected; return AttributeRole.Layer;
            case "DropoutAttribute": op = Op.Dropout; return AttributeRole.Layer;
            case "FlattenAttribute": op = Op.Flatten; return AttributeRole.Layer;
            case "BatchNormAttribute": op = Op.BatchNorm; return AttributeRole.Layer;
            default: return AttributeRole.Other;
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
        AttributeRole.Layer => op switch
        {
            Op.Conv2d => count is 2 or 3,
            Op.DepthwiseConv2d => count is 1 or 2,
            Op.Block => count == 2,
            Op.Flatten or Op.BatchNorm or Op.GlobalAvgPool2d => count == 0,
            _ => count == 1,
        },
        _ => count == 1,
    };
}
