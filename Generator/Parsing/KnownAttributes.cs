using Microsoft.CodeAnalysis;

namespace SlimGen.Generator.Parsing;

/// <summary>What a SlimGen attribute on a model class is.</summary>
internal enum AttributeRole
{
    /// <summary>Not one of SlimGen's attributes.</summary>
    Other,
    Model,
    ArgScope,
    UseArgScope,
    Layer,
    Repeat,
    Stack,
}

/// <summary>Names of the attribute vocabulary in SlimGen.Attributes.</summary>
internal static class KnownAttributes
{
    public const string Namespace = "SlimGen";
    public const string SlimModel = "SlimGen.SlimModelAttribute";

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
            case "ArgScopeAttribute": return AttributeRole.ArgScope;
            case "UseArgScopeAttribute": return AttributeRole.UseArgScope;
            case "RepeatAttribute": return AttributeRole.Repeat;
            case "StackAttribute": return AttributeRole.Stack;
            case "Conv2dAttribute": op = Op.Conv2d; return AttributeRole.Layer;
            case "MaxPool2dAttribute": op = Op.MaxPool2d; return AttributeRole.Layer;
            case "AvgPool2dAttribute": op = Op.AvgPool2d; return AttributeRole.Layer;
            case "FullyConnectedAttribute": op = Op.FullyConnected; return AttributeRole.Layer;
            case "DropoutAttribute": op = Op.Dropout; return AttributeRole.Layer;
            case "FlattenAttribute": op = Op.Flatten; return AttributeRole.Layer;
            case "BatchNormAttribute": op = Op.BatchNorm; return AttributeRole.Layer;
            default: return AttributeRole.Other;
        }
    }

    /// <summary>
    /// How many constructor arguments SlimGen's own attribute of this kind takes (a <c>params</c> array
    /// counts as one), so that a look-alike attribute with another constructor is never indexed past its end.
    /// </summary>
    public static int ConstructorArity(AttributeRole role, Op op) => role switch
    {
        AttributeRole.Repeat => 3,
        AttributeRole.Stack => 2,
        AttributeRole.Layer => op switch
        {
            Op.Conv2d => 2,
            Op.Flatten or Op.BatchNorm => 0,
            _ => 1,
        },
        _ => 1,
    };
}
