using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM018: removes a layer that passes its input through unchanged. Offered only when the diagnostic covers
/// the whole attribute; the analyzer puts it on an argument instead where removing the attribute would change
/// the model (a dropout rate of 0 the user may mean to raise, one value of a stack).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveLayerCodeFixProvider)), Shared]
public sealed class RemoveLayerCodeFixProvider() : SyntaxCodeFixProvider<AttributeSyntax>(
    DiagnosticDescriptors.FlattenOfFlatInput, DiagnosticDescriptors.PoolOfOneByOne, DiagnosticDescriptors.DropoutOfZero)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeSyntax layer, Diagnostic diagnostic) =>
        ("Remove the layer", root => AttributeSyntaxEditing.Remove(root, layer));
}
