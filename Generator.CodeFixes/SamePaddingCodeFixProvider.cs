using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM001 and SLIM002: a VALID window larger than its input; with <c>Padding = Pad.Same</c> the layer keeps
/// <c>ceil(in / stride)</c> outputs, at least 1, whatever the kernel.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SamePaddingCodeFixProvider)), Shared]
public sealed class SamePaddingCodeFixProvider()
    : SyntaxCodeFixProvider<AttributeSyntax>(DiagnosticDescriptors.SpatialSizeBelowOne, DiagnosticDescriptors.KernelLargerThanInput)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeSyntax layer, Diagnostic diagnostic) =>
        ("Use Padding = Pad.Same",
         root => root.ReplaceNode(layer, AttributeSyntaxEditing.WithNamedArgument(layer, "Padding", AttributeSyntaxEditing.SlimGenValue("Pad.Same"))));
}
