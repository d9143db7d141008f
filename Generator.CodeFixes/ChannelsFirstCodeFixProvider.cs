using System;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM019: a channels-last input shape <c>[SlimModel(28, 28, 1)]</c> becomes the channels-first
/// <c>[SlimModel(1, 28, 28)]</c>; named arguments such as <c>OutputShape</c> stay where they are.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ChannelsFirstCodeFixProvider)), Shared]
public sealed class ChannelsFirstCodeFixProvider()
    : SyntaxCodeFixProvider<AttributeSyntax>(DiagnosticDescriptors.ChannelsLastInput)
{
    /// <inheritdoc/>
    protected override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeSyntax model, Diagnostic diagnostic)
    {
        if (model.ArgumentList is not { } list) return null;
        var arguments = list.Arguments;
        var shape = arguments.TakeWhile(a => a.NameEquals is null && a.NameColon is null).ToList();
        if (shape.Count != 3) return null;

        // Height, width, channels -> channels, height, width; each argument keeps the trivia of the place it moves to.
        var reordered = new[] { shape[2], shape[0], shape[1] }.Select((argument, i) => argument.WithTriviaFrom(shape[i]));
        var newList = list.WithArguments(SeparatedList(reordered.Concat(arguments.Skip(3)), arguments.GetSeparators()));
        return ("Declare the input channels-first", root => root.ReplaceNode(list, newList));
    }
}
