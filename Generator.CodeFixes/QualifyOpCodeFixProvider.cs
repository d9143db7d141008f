using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM020: a bare layer kind (<c>Conv2d</c>) that a <c>using static</c> method hides becomes <c>Op.Conv2d</c>
/// (fully qualified where <c>Op</c> itself would not bind).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(QualifyOpCodeFixProvider)), Shared]
public sealed class QualifyOpCodeFixProvider()
    : SyntaxCodeFixProvider<IdentifierNameSyntax>(DiagnosticDescriptors.OpNameHidden)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(IdentifierNameSyntax name, Diagnostic diagnostic) =>
        ($"Use Op.{name.Identifier.ValueText}",
         root => root.ReplaceNode(name, AttributeSyntaxEditing.SlimGenValue("Op." + name.Identifier.ValueText).WithTriviaFrom(name)));
}
