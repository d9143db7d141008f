using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>A SlimGen attribute on the model declaration, in source order, with its bound data.</summary>
internal readonly struct ClassifiedAttribute
{
    public ClassifiedAttribute(AttributeSyntax syntax, AttributeData? data, AttributeRole role, Op op, SourceRef source)
    {
        Syntax = syntax;
        Data = data;
        Role = role;
        Op = op;
        Source = source;
    }

    public AttributeSyntax Syntax { get; }

    /// <summary>Null when the compiler could not bind the attribute (for example while it is being typed).</summary>
    public AttributeData? Data { get; }

    public AttributeRole Role { get; }

    /// <summary>The layer op of a layer attribute.</summary>
    public Op Op { get; }

    public SourceRef Source { get; }
}

/// <summary>
/// Reads attribute arguments without throwing: every accessor returns false or null for arguments
/// that are missing, of the wrong kind, or still being typed.
/// </summary>
internal static class AttributeReader
{
    /// <summary>
    /// The SlimGen attributes written on <paramref name="declaration"/>, in source order (the order
    /// <see cref="ISymbol.GetAttributes"/> returns is not guaranteed). The analyzer uses the same list
    /// to turn a <see cref="SourceRef"/> back into a location.
    /// </summary>
    public static ImmutableArray<ClassifiedAttribute> Classify(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        var bySpan = new Dictionary<(SyntaxTree, int), AttributeData>();
        foreach (var data in type.GetAttributes())
        {
            var reference = data.ApplicationSyntaxReference;
            if (reference is not null)
            {
                bySpan[(reference.SyntaxTree, reference.Span.Start)] = data;
            }
        }

        var result = ImmutableArray.CreateBuilder<ClassifiedAttribute>();
        int layers = 0, scopes = 0, usedScopes = 0;
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var syntax in list.Attributes)
            {
                bySpan.TryGetValue((syntax.SyntaxTree, syntax.Span.Start), out var data);
                var role = KnownAttributes.RoleOf(data?.AttributeClass, out var op);
                var source = role switch
                {
                    AttributeRole.Model => new SourceRef(SourceKind.ModelAttribute),
                    AttributeRole.ArgScope => new SourceRef(SourceKind.ArgScope, scopes++),
                    AttributeRole.UseArgScope => new SourceRef(SourceKind.UseArgScope, usedScopes++),
                    AttributeRole.Block => new SourceRef(SourceKind.ModelAttribute),
                    AttributeRole.Residual => new SourceRef(SourceKind.Residual),
                    AttributeRole.Layer or AttributeRole.Repeat or AttributeRole.Stack or AttributeRole.Branch or AttributeRole.Concat
                        => new SourceRef(SourceKind.Layer, layers++),
                    _ => default,
                };
                if (role != AttributeRole.Other)
                {
                    result.Add(new ClassifiedAttribute(syntax, data, role, op, source));
                }
            }
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// Whether the compiler bound every argument of one of SlimGen's attributes; false while the user is
    /// typing, on errors, and for attributes that are not SlimGen's.
    /// </summary>
    public static bool IsWellFormed(AttributeData data)
    {
        if (data.AttributeConstructor is null || data.AttributeClass is IErrorTypeSymbol) return false;
        var role = KnownAttributes.RoleOf(data.AttributeClass, out var op);
        if (role == AttributeRole.Other || !KnownAttributes.HasArity(role, op, data.ConstructorArguments.Length)) return false;
        foreach (var argument in data.ConstructorArguments)
        {
            if (!IsWellFormed(argument)) return false;
        }
        foreach (var argument in data.NamedArguments)
        {
            if (!IsWellFormed(argument.Value)) return false;
        }
        return true;
    }

    private static bool IsWellFormed(TypedConstant constant)
    {
        if (constant.Kind == TypedConstantKind.Error) return false;
        if (constant.Kind == TypedConstantKind.Array)
        {
            if (constant.IsNull) return true;
            foreach (var item in constant.Values)
            {
                if (!IsWellFormed(item)) return false;
            }
        }
        return true;
    }

    public static int? Int(TypedConstant constant) => constant.Value switch
    {
        int value => value,
        _ => null,
    };

    public static double? Double(TypedConstant constant) => constant.Value switch
    {
        double value => value,
        float value => value,
        int value => value,
        _ => null,
    };

    public static string? String(TypedConstant constant) => constant.Value as string;

    /// <summary>The values of a <c>params int[]</c> argument (which arrives as one array constant).</summary>
    public static ImmutableArray<int>? Ints(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Array || constant.IsNull) return null;
        var builder = ImmutableArray.CreateBuilder<int>(constant.Values.Length);
        foreach (var item in constant.Values)
        {
            if (Int(item) is not int value) return null;
            builder.Add(value);
        }
        return builder.ToImmutable();
    }

    /// <summary>The values of a <c>params string[]</c> argument.</summary>
    public static ImmutableArray<string>? Strings(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Array || constant.IsNull) return null;
        var builder = ImmutableArray.CreateBuilder<string>(constant.Values.Length);
        foreach (var item in constant.Values)
        {
            if (String(item) is not string value) return null;
            builder.Add(value);
        }
        return builder.ToImmutable();
    }

    /// <summary>The values of a <c>params Op[]</c> argument.</summary>
    public static ImmutableArray<Op>? Ops(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Array || constant.IsNull) return null;
        var builder = ImmutableArray.CreateBuilder<Op>(constant.Values.Length);
        foreach (var item in constant.Values)
        {
            if (Int(item) is not int value) return null;
            builder.Add((Op)value);
        }
        return builder.ToImmutable();
    }

    /// <summary>The arg-scope keys given as named arguments.</summary>
    public static LayerArgs Keys(AttributeData data)
    {
        var args = LayerArgs.None;
        foreach (var pair in data.NamedArguments)
        {
            var value = pair.Value;
            args = pair.Key switch
            {
                nameof(LayerArgs.Activation) when Int(value) is int act => args with { Activation = (Act)act },
                nameof(LayerArgs.Padding) when Int(value) is int pad => args with { Padding = (Pad)pad },
                nameof(LayerArgs.Stride) when Int(value) is int stride => args with { Stride = stride },
                nameof(LayerArgs.WeightsInit) when Int(value) is int init => args with { WeightsInit = (Init)init },
                nameof(LayerArgs.WeightsStddev) when Double(value) is double stddev => args with { WeightsStddev = stddev },
                nameof(LayerArgs.BiasInit) when Int(value) is int init => args with { BiasInit = (Init)init },
                nameof(LayerArgs.WeightDecay) when Double(value) is double decay => args with { WeightDecay = decay },
                nameof(LayerArgs.UseBias) when value.Value is bool useBias => args with { UseBias = useBias },
                nameof(LayerArgs.Normalizer) when Int(value) is int norm => args with { Normalizer = (Norm)norm },
                nameof(LayerArgs.BiasValue) when Double(value) is double biasValue => args with { BiasValue = biasValue },
                nameof(LayerArgs.Epsilon) when Double(value) is double epsilon => args with { Epsilon = epsilon },
                nameof(LayerArgs.Momentum) when Double(value) is double momentum => args with { Momentum = momentum },
                nameof(LayerArgs.Scale) when value.Value is bool scale => args with { Scale = scale },
                _ => args,
            };
        }
        return args;
    }

    /// <summary>A named argument, if given.</summary>
    public static TypedConstant? Named(AttributeData data, string name)
    {
        foreach (var pair in data.NamedArguments)
        {
            if (pair.Key == name) return pair.Value;
        }
        return null;
    }
}
