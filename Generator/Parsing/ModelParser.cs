using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// Turns a <c>[SlimModel]</c> class into a <see cref="ModelSpec"/>: reads the attributes in source
/// order, resolves arg scopes, expands repeat/stack and names every layer. Never throws on user input.
/// </summary>
internal static class ModelParser
{
    public static ParseOutcome Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var diagnostics = new List<ModelDiagnostic>();
        var attributes = AttributeReader.Classify(type, declaration);

        // Half-typed code is the compiler's to report; the generator waits for valid input.
        if (IsHalfTyped(declaration))
        {
            return new ParseOutcome(null, EquatableArray<ModelDiagnostic>.Empty);
        }
        // So are unbound attributes and a base class that does not resolve (yet).
        var model = attributes.FirstOrDefault(a => a.Role == AttributeRole.Model);
        if (model.Data is null || attributes.Any(a => a.Data is null || !AttributeReader.IsWellFormed(a.Data))
            || type.BaseType?.TypeKind == TypeKind.Error)
        {
            return new ParseOutcome(null, EquatableArray<ModelDiagnostic>.Empty);
        }

        if (!CheckClass(type, declaration, diagnostics, out var containingTypes))
        {
            return new ParseOutcome(null, diagnostics.ToEquatableArray());
        }
        ReportLayersOnOtherDeclarations(type, declaration, diagnostics);

        var inputShape = AttributeReader.Ints(model.Data.ConstructorArguments[0]) ?? ImmutableArray<int>.Empty;
        var outputShape = AttributeReader.Named(model.Data, nameof(SlimModelAttribute.OutputShape)) is TypedConstant output
            ? AttributeReader.Ints(output)?.ToEquatableArray()
            : null;

        // Reusable and assembly scopes are checked where they are declared (by the analyzer), not at each use.
        var scopes = new ScopeChain(
            attributes.Where(a => a.Role == AttributeRole.ArgScope).Select(a => ArgScopeReader.Read(a.Data!, a.Source, diagnostics)).ToImmutableArray(),
            ReadUsedScopes(attributes),
            AssemblyScopes(type.ContainingAssembly));

        foreach (var construct in attributes.Where(a => a.Role is AttributeRole.Branch or AttributeRole.Concat or AttributeRole.Residual or AttributeRole.Block))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.BlockConstructOutsideBlock, construct.Source,
                "[" + construct.Role switch { AttributeRole.Block => "SlimBlock", var role => role.ToString() } + "]",
                "declare a [SlimBlock] class with it and use that block in the model with [Block]"));
        }
        var expander = new LayerExpander(scopes, type.Name, ReservedNames.Of(type), diagnostics);
        var layers = expander.Expand(attributes.Where(a => a.Source.Kind == SourceKind.Layer), cancellationToken);
        if (layers.Count == 0 && !diagnostics.Any(d => d.Source.Kind == SourceKind.Layer))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NoLayers, SourceRef.Class, type.Name));
        }

        var spec = new ModelSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            containingTypes,
            type.Name,
            DeclaredBaseType(type) is not null,
            inputShape.ToEquatableArray(),
            outputShape,
            layers.ToEquatableArray(),
            expander.Parameters.ToEquatableArray())
        {
            VariableSize = AttributeReader.Named(model.Data, nameof(SlimModelAttribute.VariableSize)) is { Value: true },
        };
        return new ParseOutcome(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// Whether what the model is read from, or what the generated half repeats (the class name, its containing
    /// namespaces and types), has syntax errors. Errors elsewhere, such as in a method body, do not count.
    /// </summary>
    internal static bool IsHalfTyped(TypeDeclarationSyntax declaration) =>
        declaration.AttributeLists.Any(list => list.ContainsDiagnostics) || HasBrokenName(declaration)
        || declaration.Ancestors().Any(ancestor => ancestor switch
        {
            BaseNamespaceDeclarationSyntax space => space.Name.ContainsDiagnostics,
            TypeDeclarationSyntax type => HasBrokenName(type),
            _ => false,
        });

    private static bool HasBrokenName(TypeDeclarationSyntax type) =>
        type.Identifier.IsMissing || type.Identifier.ContainsDiagnostics || type.TypeParameterList?.ContainsDiagnostics == true
        || type.ParameterList?.ContainsDiagnostics == true;

    internal static bool CheckClass(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<ModelDiagnostic> diagnostics, out EquatableArray<ContainingType> containingTypes)
    {
        containingTypes = EquatableArray<ContainingType>.Empty;
        int before = diagnostics.Count;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NotPartial, SourceRef.Class, type.Name));
        }
        if (declaration is RecordDeclarationSyntax)
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.RecordModel, SourceRef.Class, type.Name));
        }
        else if (type.TypeParameters.Length > 0)
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.GenericModel, SourceRef.Class, type.Name));
        }
        else if (type.IsStatic || type.IsAbstract)
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.StaticOrAbstractModel, SourceRef.Class, type.Name));
        }
        else if (type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null }))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.PrimaryConstructorModel, SourceRef.Class, type.Name));
        }
        else if (DeclaredBaseType(type) is { } baseType && !IsTensorModule(baseType))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ForeignBaseClass, SourceRef.Class, type.Name, baseType.Name));
        }

        var outer = new List<ContainingType>();
        for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword) || parent.TypeParameterList is not null)
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, SourceRef.Class, type.Name, parent.Identifier.Text));
                break;
            }
            var keyword = parent is RecordDeclarationSyntax record && record.ClassOrStructKeyword.Text is { Length: > 0 } kind
                ? "record " + kind
                : parent.Keyword.Text;
            outer.Insert(0, new ContainingType(keyword, parent.Identifier.Text));
        }
        containingTypes = outer.ToEquatableArray();
        return diagnostics.Count == before;
    }

    /// <summary>The base class the user wrote, if any (a base list of interfaces only leaves it to SlimGen).</summary>
    internal static INamedTypeSymbol? DeclaredBaseType(INamedTypeSymbol type) =>
        type.BaseType is { SpecialType: not SpecialType.System_Object } baseType ? baseType : null;

    /// <summary>Whether <paramref name="type"/> is or derives from <c>TorchSharp.torch.nn.Module&lt;Tensor, Tensor&gt;</c>, whose forward the generator overrides.</summary>
    private static bool IsTensorModule(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Module", TypeArguments.Length: 2, ContainingType: { Name: "nn", ContainingType.Name: "torch" } }
                && current.ContainingType.ContainingType!.ContainingNamespace.ToDisplayString() == "TorchSharp"
                && current.TypeArguments.All(argument => argument.Name == "Tensor" && argument.ContainingType?.Name == "torch"))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Only the declaration with <c>[SlimModel]</c> defines the network (its source order is the layer order):
    /// every SlimGen attribute on another partial declaration is an error at that attribute.
    /// </summary>
    private static void ReportLayersOnOtherDeclarations(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<ModelDiagnostic> diagnostics)
    {
        var attributes = type.GetAttributes();
        for (int i = 0; i < attributes.Length; i++)
        {
            var reference = attributes[i].ApplicationSyntaxReference;
            if (reference is null || reference.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(reference.Span))
            {
                continue;
            }
            if (KnownAttributes.RoleOf(attributes[i].AttributeClass, out _) is not (AttributeRole.Other or AttributeRole.Model or AttributeRole.Block))
            {
                var name = attributes[i].AttributeClass!.Name;
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, new SourceRef(SourceKind.OtherDeclaration, i),
                    name.Substring(0, name.Length - "Attribute".Length), type.Name));
            }
        }
    }

    internal static ImmutableArray<ArgScopeSpec> ReadUsedScopes(ImmutableArray<ClassifiedAttribute> attributes)
    {
        var result = ImmutableArray.CreateBuilder<ArgScopeSpec>();
        foreach (var use in attributes.Where(a => a.Role == AttributeRole.UseArgScope))
        {
            if (use.Data!.ConstructorArguments[0].Value is not INamedTypeSymbol scopeType) continue;
            result.AddRange(scopeType.GetAttributes()
                .Where(IsWellFormedArgScope)
                .OrderBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
                .Select(a => ArgScopeReader.Read(a, use.Source, diagnostics: null)));
        }
        return result.ToImmutable();
    }

    internal static ImmutableArray<ArgScopeSpec> AssemblyScopes(IAssemblySymbol assembly) =>
        assembly.GetAttributes()
            .Where(IsWellFormedArgScope)
            .Select(a => ArgScopeReader.Read(a, SourceRef.Class, diagnostics: null))
            .ToImmutableArray();

    private static bool IsWellFormedArgScope(AttributeData data) =>
        KnownAttributes.RoleOf(data.AttributeClass, out _) == AttributeRole.ArgScope && AttributeReader.IsWellFormed(data);
}
