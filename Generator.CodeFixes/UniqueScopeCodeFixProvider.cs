using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>SLIM004: renames a duplicate scope to the free name the analyzer chose (only the model knows every name in use).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UniqueScopeCodeFixProvider)), Shared]
public sealed class UniqueScopeCodeFixProvider() : SyntaxCodeFixProvider<AttributeArgumentSyntax>(DiagnosticDescriptors.DuplicateScope)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeArgumentSyntax scope, Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestionProperty, out var name) && name is not null
            ? ($"Rename the scope to '{name}'",
               root => root.ReplaceNode(scope.Expression, LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(name)).WithTriviaFrom(scope.Expression)))
            : null;
}
