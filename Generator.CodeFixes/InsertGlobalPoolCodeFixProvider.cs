using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM028: a flatten of a size that depends on the input, in a model of variable size; a global average pool before it
/// makes the size the channels', whatever the input.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertGlobalPoolCodeFixProvider)), Shared]
public sealed class InsertGlobalPoolCodeFixProvider() : SyntaxCodeFixProvider<AttributeSyntax>(DiagnosticDescriptors.FlattenOfVariableSize)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeSyntax flatten, Diagnostic diagnostic) =>
        ("Insert [GlobalAvgPool2d] before the flatten",
         root => AttributeSyntaxEditing.InsertBefore(root, flatten, Attribute(AttributeSyntaxEditing.SiblingAttributeName(flatten.Name, "GlobalAvgPool2d"))));
}
