using System;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>SLIM007: adds the <c>partial</c> modifier the generated half of the model needs.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFixProvider)), Shared]
public sealed class AddPartialCodeFixProvider() : SyntaxCodeFixProvider<ClassDeclarationSyntax>(DiagnosticDescriptors.NotPartial)
{
    /// <summary>The diagnostic is on the class name.</summary>
    protected override ClassDeclarationSyntax? Find(SyntaxNode root, TextSpan span) =>
        root.FindToken(span.Start).Parent is ClassDeclarationSyntax model && model.Identifier.Span == span ? model : null;

    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(ClassDeclarationSyntax model, Diagnostic diagnostic) =>
        ($"Make '{model.Identifier.ValueText}' partial", root => root.ReplaceNode(model, WithPartial(model)));

    /// <summary>C# wants <c>partial</c> right before <c>class</c>: after the other modifiers, taking over the keyword's indentation when it is the first.</summary>
    private static ClassDeclarationSyntax WithPartial(ClassDeclarationSyntax model)
    {
        if (model.Modifiers.Any())
        {
            return model.AddModifiers(Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(Space));
        }
        var keyword = model.Keyword;
        return model
            .WithModifiers(TokenList(Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, TriviaList(Space))))
            .WithKeyword(keyword.WithLeadingTrivia());
    }
}
