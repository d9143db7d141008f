using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes;

/// <summary>The fixes that insert a layer attribute before the one the diagnostic is on, named as that one is.</summary>
public abstract class InsertAttributeBeforeCodeFixProvider : SyntaxCodeFixProvider<AttributeSyntax>
{
    private readonly string _attribute;
    private readonly string _title;

    /// <summary>Creates the provider.</summary>
    /// <param name="attribute">The attribute to insert, without the <c>Attribute</c> suffix (<c>Flatten</c>).</param>
    /// <param name="title">The fix's title.</param>
    /// <param name="fixable">The diagnostic it fixes.</param>
    private protected InsertAttributeBeforeCodeFixProvider(string attribute, string title, DiagnosticDescriptor fixable)
        : base(fixable)
    {
        _attribute = attribute;
        _title = title;
    }

    /// <inheritdoc/>
    protected sealed override (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(AttributeSyntax layer, Diagnostic diagnostic) =>
        (_title, root => AttributeSyntaxEditing.InsertBefore(root, layer, Attribute(AttributeSyntaxEditing.SiblingAttributeName(layer.Name, _attribute))));
}
