using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Diagnostics;

/// <summary>
/// Reports every model problem while the user types, on the attribute or argument that causes it.
/// It runs the generator's own parser and shape inference, so the two can never disagree.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SlimModelAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        // A syntax action, not a compilation action, so that the IDE shows these while the user types.
        context.RegisterSyntaxNodeAction(AnalyzeAssemblyScopes, SyntaxKind.AttributeList);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var declarations = new List<(TypeDeclarationSyntax Syntax, ImmutableArray<ClassifiedAttribute> Attributes)>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax { AttributeLists.Count: > 0 } declaration)
            {
                declarations.Add((declaration, AttributeReader.Classify(type, declaration)));
            }
        }

        bool isModel = declarations.Any(d => d.Attributes.Any(a => a.Role is AttributeRole.Model or AttributeRole.Block));
        foreach (var (declaration, attributes) in declarations)
        {
            if (attributes.Any(a => a.Role == AttributeRole.Model))
            {
                AnalyzeModel(context, type, declaration, attributes);
            }
            else if (attributes.Any(a => a.Role == AttributeRole.Block))
            {
                var outcome = BlockParser.Parse(type, declaration, context.CancellationToken);
                Report(context, ModelCheck.Block(outcome, BlockResolver.UsedBy(type, context.CancellationToken)), type, declaration, attributes);
            }
            else if (!isModel)
            {
                // A reusable scope class: its keys are checked here, once, rather than at every use.
                foreach (var scope in attributes.Where(a => a.Role == AttributeRole.ArgScope))
                {
                    ReportScopeProblems(scope.Data, scope.Syntax, context.ReportDiagnostic);
                }
            }
        }
    }

    private static void AnalyzeModel(SymbolAnalysisContext context, INamedTypeSymbol type, TypeDeclarationSyntax declaration, ImmutableArray<ClassifiedAttribute> attributes)
    {
        var outcome = ModelParser.Parse(type, declaration, context.CancellationToken);
        var blocks = BlockResolver.UsedBy(type, context.CancellationToken);
        Report(context, ModelCheck.Run(outcome, blocks).Diagnostics, type, declaration, attributes);
    }

    private static void Report(SymbolAnalysisContext context, IEnumerable<ModelDiagnostic> diagnostics, INamedTypeSymbol type, TypeDeclarationSyntax declaration, ImmutableArray<ClassifiedAttribute> attributes)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                diagnostic.Descriptor,
                Locate(diagnostic.Source, type, declaration, attributes, context.CancellationToken),
                diagnostic.Suggestion is null
                    ? ImmutableDictionary<string, string?>.Empty
                    : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.SuggestionProperty, diagnostic.Suggestion),
                diagnostic.MessageArgs.Cast<object>().ToArray()));
        }
    }

    private static void AnalyzeAssemblyScopes(SyntaxNodeAnalysisContext context)
    {
        var list = (AttributeListSyntax)context.Node;
        if (list.Target?.Identifier.IsKind(SyntaxKind.AssemblyKeyword) != true) return;

        foreach (var data in context.SemanticModel.Compilation.Assembly.GetAttributes())
        {
            var reference = data.ApplicationSyntaxReference;
            if (reference is not null && reference.SyntaxTree == list.SyntaxTree && list.Span.Contains(reference.Span)
                && KnownAttributes.RoleOf(data.AttributeClass, out _) == AttributeRole.ArgScope)
            {
                ReportScopeProblems(data, (AttributeSyntax)reference.GetSyntax(context.CancellationToken), context.ReportDiagnostic);
            }
        }
    }

    /// <summary>The checks the parser makes on a model's own <c>[ArgScope]</c>s, for one written elsewhere.</summary>
    private static void ReportScopeProblems(AttributeData? data, AttributeSyntax syntax, Action<Diagnostic> report)
    {
        if (data is null || !AttributeReader.IsWellFormed(data)) return;
        var problems = new List<ModelDiagnostic>();
        ArgScopeReader.Read(data, new SourceRef(SourceKind.ArgScope), problems);
        foreach (var problem in problems)
        {
            report(Diagnostic.Create(problem.Descriptor, ArgumentLocation(syntax, problem.Source.Argument, data.AttributeConstructor),
                problem.MessageArgs.Cast<object>().ToArray()));
        }
    }

    /// <summary>Turns a <see cref="SourceRef"/> back into the narrowest location that exists.</summary>
    internal static Location Locate(SourceRef source, INamedTypeSymbol type, TypeDeclarationSyntax declaration, ImmutableArray<ClassifiedAttribute> attributes, CancellationToken cancellationToken)
    {
        switch (source.Kind)
        {
            case SourceKind.Class:
                return declaration.Identifier.GetLocation();
            case SourceKind.OtherDeclaration:
                var others = type.GetAttributes();
                return source.Index < others.Length && others[source.Index].ApplicationSyntaxReference is { } reference
                    ? reference.GetSyntax(cancellationToken).GetLocation()
                    : declaration.Identifier.GetLocation();
        }

        foreach (var attribute in attributes)
        {
            if (attribute.Source.Kind == source.Kind && attribute.Source.Index == source.Index)
            {
                return ArgumentLocation(attribute.Syntax, source.Argument, attribute.Data?.AttributeConstructor);
            }
        }
        return declaration.Identifier.GetLocation();
    }

    /// <summary>
    /// A named argument (<c>Scope</c>) or a constructor argument by position (<c>#2</c>, counting the elements
    /// of a params array one by one); the whole attribute when <paramref name="argument"/> is null or not written.
    /// </summary>
    private static Location ArgumentLocation(AttributeSyntax attribute, string? argument, IMethodSymbol? constructor)
    {
        if (argument is null || attribute.ArgumentList is not { } list)
        {
            return attribute.GetLocation();
        }
        if (argument.StartsWith("#", StringComparison.Ordinal))
        {
            if (int.TryParse(argument.Substring(1), out var position) && constructor is { Parameters.Length: > 0 } &&
                list.Arguments.Where(a => a.NameEquals is null).Where((a, i) => Position(a, i, constructor) == position).FirstOrDefault() is { } positional)
            {
                return positional.GetLocation();
            }
        }
        else if (list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument) is { } named)
        {
            return named.GetLocation();
        }
        return attribute.GetLocation();
    }

    /// <summary>The position the i-th constructor argument as written fills: a <c>name:</c> moves it to its parameter.</summary>
    private static int Position(AttributeArgumentSyntax argument, int index, IMethodSymbol constructor)
    {
        if (argument.NameColon is null) return index;
        var parameter = constructor.Parameters.FirstOrDefault(p => p.Name == argument.NameColon.Name.Identifier.ValueText);
        return parameter?.Ordinal ?? -1;
    }
}
