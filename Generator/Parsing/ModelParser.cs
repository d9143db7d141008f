using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Parsing
{
    /// <summary>The parser's result: a spec when the attributes could be read, and the problems found.</summary>
    /// <param name="Spec">Null when the model cannot be built at all (unbound attributes, unsupported class).</param>
    internal sealed record ParseOutcome(ModelSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics);

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

            // Half-typed attributes are the compiler's to report; the generator waits for valid input.
            if (declaration.AttributeLists.Any(list => list.ContainsDiagnostics))
            {
                return new ParseOutcome(null, EquatableArray<ModelDiagnostic>.Empty);
            }
            foreach (var attribute in attributes)
            {
                if (attribute.Data is null || !AttributeReader.IsWellFormed(attribute.Data))
                {
                    return new ParseOutcome(null, EquatableArray<ModelDiagnostic>.Empty);
                }
            }

            if (!CheckClass(type, declaration, diagnostics, out var containingTypes))
            {
                return new ParseOutcome(null, diagnostics.ToEquatableArray());
            }
            ReportLayersOnOtherDeclarations(type, declaration, diagnostics);

            var model = attributes.First(a => a.Role == AttributeRole.Model);
            var inputShape = AttributeReader.Ints(model.Data!.ConstructorArguments[0]) ?? ImmutableArray<int>.Empty;
            var outputShape = AttributeReader.Named(model.Data!, "OutputShape") is TypedConstant output
                ? AttributeReader.Ints(output)?.ToEquatableArray()
                : null;

            var scopes = new ScopeChain(
                ReadScopes(attributes.Where(a => a.Role == AttributeRole.ArgScope).Select(a => (a.Data!, a.Source)), diagnostics),
                ReadUsedScopes(attributes, diagnostics),
                ReadScopes(AssemblyScopes(type.ContainingAssembly), diagnostics: null));

            var layers = new LayerExpander(scopes, diagnostics).Expand(
                attributes.Where(a => a.Source.Kind == SourceKind.Layer), cancellationToken);
            if (layers.Count == 0 && !diagnostics.Any(d => d.Source.Kind == SourceKind.Layer))
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NoLayers, SourceRef.Class, type.Name));
            }

            var spec = new ModelSpec(
                type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                containingTypes,
                type.Name,
                declaration.BaseList is not null,
                inputShape.ToEquatableArray(),
                outputShape,
                layers.ToEquatableArray());
            return new ParseOutcome(spec, diagnostics.ToEquatableArray());
        }

        private static bool CheckClass(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<ModelDiagnostic> diagnostics, out EquatableArray<string> containingTypes)
        {
            containingTypes = EquatableArray<string>.Empty;
            int before = diagnostics.Count;
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NotPartial, SourceRef.Class, type.Name));
            }
            if (type.TypeParameters.Length > 0)
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.UnsupportedClass, SourceRef.Class, type.Name,
                    "generic classes are not supported because the layers and shapes must be known at compile time; remove the type parameters"));
            }
            else if (type.IsStatic || type.IsAbstract)
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.UnsupportedClass, SourceRef.Class, type.Name,
                    "a model is instantiated, so it cannot be static or abstract"));
            }

            var outer = new List<string>();
            for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
            {
                if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword) || parent.TypeParameterList is not null)
                {
                    diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.UnsupportedClass, SourceRef.Class, type.Name,
                        $"its containing type '{parent.Identifier.Text}' must be partial and not generic"));
                    break;
                }
                var keyword = parent is RecordDeclarationSyntax record
                    ? "record " + (record.ClassOrStructKeyword.Text is { Length: > 0 } kind ? kind + " " : "")
                    : parent.Keyword.Text + " ";
                outer.Insert(0, "partial " + keyword + parent.Identifier.Text);
            }
            containingTypes = outer.ToEquatableArray();
            return diagnostics.Count == before;
        }

        private static void ReportLayersOnOtherDeclarations(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<ModelDiagnostic> diagnostics)
        {
            foreach (var data in type.GetAttributes())
            {
                var reference = data.ApplicationSyntaxReference;
                if (reference is null || declaration.Span.Contains(reference.Span) && reference.SyntaxTree == declaration.SyntaxTree)
                {
                    continue;
                }
                var role = KnownAttributes.RoleOf(data.AttributeClass, out _);
                if (role is AttributeRole.Layer or AttributeRole.Repeat or AttributeRole.Stack or AttributeRole.ArgScope)
                {
                    diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, SourceRef.Class, type.Name));
                    return;
                }
            }
        }

        private static ImmutableArray<ArgScopeSpec> ReadScopes(IEnumerable<(AttributeData Data, SourceRef Source)> scopes, List<ModelDiagnostic>? diagnostics)
        {
            var result = ImmutableArray.CreateBuilder<ArgScopeSpec>();
            foreach (var (data, source) in scopes)
            {
                if (!AttributeReader.IsWellFormed(data)) continue;
                var ops = AttributeReader.Ops(data.ConstructorArguments[0]) ?? ImmutableArray<Op>.Empty;
                var keys = AttributeReader.Keys(data);
                if (diagnostics is not null)
                {
                    foreach (var key in keys.GivenKeys())
                    {
                        if (!ops.Any(op => OpRules.Applies(op, key)))
                        {
                            var listed = ops.IsEmpty ? "no op" : string.Join(", ", ops);
                            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, source.At(key), "[ArgScope]", key, listed));
                        }
                    }
                }
                result.Add(new ArgScopeSpec(ops.ToEquatableArray(), keys, source));
            }
            return result.ToImmutable();
        }

        private static ImmutableArray<ArgScopeSpec> ReadUsedScopes(ImmutableArray<ClassifiedAttribute> attributes, List<ModelDiagnostic> diagnostics)
        {
            var result = ImmutableArray.CreateBuilder<ArgScopeSpec>();
            foreach (var use in attributes.Where(a => a.Role == AttributeRole.UseArgScope))
            {
                if (use.Data!.ConstructorArguments[0].Value is not INamedTypeSymbol scopeType) continue;
                var scopeAttributes = scopeType.GetAttributes()
                    .Where(a => KnownAttributes.RoleOf(a.AttributeClass, out _) == AttributeRole.ArgScope)
                    .OrderBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
                    .Select(a => (a, use.Source));
                // Keys of a reusable scope are checked where it is declared, not at each use.
                result.AddRange(ReadScopes(scopeAttributes, diagnostics: null));
            }
            return result.ToImmutable();
        }

        private static IEnumerable<(AttributeData, SourceRef)> AssemblyScopes(IAssemblySymbol assembly) =>
            assembly.GetAttributes()
                .Where(a => KnownAttributes.RoleOf(a.AttributeClass, out _) == AttributeRole.ArgScope)
                .Select(a => (a, SourceRef.Class));
    }
}
