using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>SLIM003: inserts <c>[Flatten]</c> before a dense layer whose input is not flat.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
public sealed class InsertFlattenCodeFixProvider() : SyntaxCodeFixProvider<AttributeSyntax>(DiagnosticDescriptors.DenseNeedsFlatten)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeSyntax dense, Diagnostic diagnostic) =>
        ("Insert [Flatten] before this layer",
         root => AttributeSyntaxEditing.InsertBefore(root, dense, Attribute(AttributeSyntaxEditing.SiblingAttributeName(dense.Name, "Flatten"))));
}
