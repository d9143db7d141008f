using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>Syntax edits the SlimGen code fixes share: adding or removing attributes and arguments while keeping the user's layout.</summary>
internal static class AttributeSyntaxEditing
{
    /// <summary>
    /// Another SlimGen attribute named the way <paramref name="neighbour"/> is (same qualifier, same use of the
    /// <c>Attribute</c> suffix), so it resolves wherever the neighbour does.
    /// </summary>
    public static NameSyntax SiblingAttributeName(NameSyntax neighbour, string attribute)
    {
        // Plain trivia: elastic trivia would let the code action's formatter rearrange the lines around it.
        SimpleNameSyntax Rename(SimpleNameSyntax name) => IdentifierName(Identifier(TriviaList(),
            name.Identifier.ValueText.EndsWith("Attribute", System.StringComparison.Ordinal) ? attribute + "Attribute" : attribute, TriviaList()));
        return neighbour switch
        {
            QualifiedNameSyntax qualified => qualified.WithRight(Rename(qualified.Right)),
            AliasQualifiedNameSyntax aliased => aliased.WithName(Rename(aliased.Name)),
            SimpleNameSyntax simple => Rename(simple),
            _ => IdentifierName(Identifier(TriviaList(), attribute, TriviaList())),
        };
    }

    /// <summary>A SlimGen constant such as <c>Pad.Same</c>, fully qualified and then shortened by the code action's simplifier as far as the usings allow.</summary>
    public static ExpressionSyntax SlimGenValue(string name) =>
        ParseExpression("global::SlimGen." + name).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><paramref name="attribute"/> with <c>key = value</c>, replacing the value when the key is written.</summary>
    public static AttributeSyntax WithNamedArgument(AttributeSyntax attribute, string key, ExpressionSyntax value)
    {
        var existing = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == key);
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing.Expression, value.WithTriviaFrom(existing.Expression));
        }
        var argument = AttributeArgument(NameEquals(IdentifierName(key)), nameColon: null, value);
        var list = attribute.ArgumentList ?? AttributeArgumentList();
        var separators = list.Arguments.GetSeparators().Concat(list.Arguments.Count == 0 ? Enumerable.Empty<SyntaxToken>() : new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) });
        return attribute.WithArgumentList(list.WithArguments(SeparatedList(list.Arguments.Append(argument), separators)));
    }

    /// <summary>Inserts <paramref name="inserted"/> just before <paramref name="attribute"/>, on a line of its own when the attribute has one.</summary>
    public static SyntaxNode InsertBefore(SyntaxNode root, AttributeSyntax attribute, AttributeSyntax inserted)
    {
        var list = (AttributeListSyntax)attribute.Parent!;
        if (list.Attributes.Count > 1)
        {
            var attributes = list.Attributes.Insert(list.Attributes.IndexOf(attribute), inserted);
            return root.ReplaceNode(list, list.WithAttributes(attributes).WithAdditionalAnnotations(Formatter.Annotation));
        }

        // The new list takes the old one's leading trivia (a doc comment, indentation) and, when the old one
        // started a line, a line break of the file's own kind; the old one keeps its indentation.
        var leading = list.GetLeadingTrivia();
        var before = list.GetFirstToken().GetPreviousToken().TrailingTrivia;
        bool ownLine = before.Any(SyntaxKind.EndOfLineTrivia) || leading.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia) || t.HasStructure);
        var lineBreak = before.Concat(list.GetTrailingTrivia()).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var indentation = TriviaList(leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        var newList = AttributeList(
            Token(leading, SyntaxKind.OpenBracketToken, TriviaList()),
            target: null,
            SingletonSeparatedList(inserted),
            Token(TriviaList(), SyntaxKind.CloseBracketToken, ownLine ? TriviaList(lineBreak == default ? LineFeed : lineBreak) : TriviaList()));
        return root.ReplaceNode(list, new[] { newList, list.WithLeadingTrivia(ownLine ? indentation : leading) });
    }

    /// <summary>Removes <paramref name="attribute"/>, and its list (with the line it stood on) when it was alone there.</summary>
    public static SyntaxNode Remove(SyntaxNode root, AttributeSyntax attribute)
    {
        var list = (AttributeListSyntax)attribute.Parent!;
        if (list.Attributes.Count > 1)
        {
            return root.RemoveNode(attribute, SyntaxRemoveOptions.KeepNoTrivia)!;
        }
        // What stood before the list (indentation, a doc comment) moves to whatever follows it.
        var tracked = root.TrackNodes(list);
        var next = tracked.GetCurrentNode(list)!.GetLastToken().GetNextToken();
        tracked = tracked.ReplaceToken(next, next.WithLeadingTrivia(list.GetLeadingTrivia()));
        return tracked.RemoveNode(tracked.GetCurrentNode(list)!, SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    /// <summary>Removes a named argument with its separator.</summary>
    public static AttributeSyntax WithoutArgument(AttributeSyntax attribute, AttributeArgumentSyntax argument) =>
        attribute.RemoveNode(argument, SyntaxRemoveOptions.KeepNoTrivia)!;
}
