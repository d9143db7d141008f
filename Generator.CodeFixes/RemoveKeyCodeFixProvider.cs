using System;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>SLIM012: removes a key that applies to none of the ops it is set for, so it changed nothing.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveKeyCodeFixProvider)), Shared]
public sealed class RemoveKeyCodeFixProvider() : SyntaxCodeFixProvider<AttributeArgumentSyntax>(DiagnosticDescriptors.KeyDoesNotApply)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeArgumentSyntax key, Diagnostic diagnostic) =>
        key is { NameEquals: not null, Parent.Parent: AttributeSyntax attribute }
            ? ($"Remove {key.NameEquals.Name.Identifier.ValueText}", root => root.ReplaceNode(attribute, AttributeSyntaxEditing.WithoutArgument(attribute, key)))
            : null;
}
