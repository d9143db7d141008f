using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM021: a residual add of different shapes, reported on the use whose arguments change the shape. The fix is in the
/// block, which may be in another file: <c>Shortcut = Shortcut.Projection</c> on its <c>[Residual]</c> adds a 1x1
/// convolution where the stride or the channels change, and leaves the identity elsewhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProjectionShortcutCodeFixProvider)), Shared]
public sealed class ProjectionShortcutCodeFixProvider : CodeFixProvider
{
    private const string Title = "Add a projection shortcut to the block";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ResidualShapeMismatch.Id);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null; // one block may have many uses: one fix suffices

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var use = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
            var block = use?.ArgumentList?.Arguments.Select(a => a.Expression).OfType<TypeOfExpressionSyntax>().FirstOrDefault() is { } type
                ? model.GetTypeInfo(type.Type, context.CancellationToken).Type
                : null;
            if (block is null || Residual(block, context.CancellationToken) is not { } residual) continue;
            var document = context.Document.Project.Solution.GetDocument(residual.SyntaxTree);
            if (document is null) continue;
            context.RegisterCodeFix(
                CodeAction.Create(Title, async cancellationToken =>
                {
                    var blockRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                    var edited = blockRoot!.ReplaceNode(residual,
                        AttributeSyntaxEditing.WithNamedArgument(residual, "Shortcut", AttributeSyntaxEditing.SlimGenValue("Shortcut.Projection")));
                    return document.Project.Solution.WithDocumentSyntaxRoot(document.Id, edited);
                }, equivalenceKey: nameof(ProjectionShortcutCodeFixProvider)),
                diagnostic);
        }
    }

    /// <summary>The block's <c>[Residual]</c> attribute, where it is written.</summary>
    private static AttributeSyntax? Residual(ITypeSymbol block, CancellationToken cancellationToken) =>
        block.GetAttributes()
            .Where(a => a.AttributeClass is { Name: "ResidualAttribute" } attribute && attribute.ContainingNamespace?.ToDisplayString() == "SlimGen")
            .Select(a => a.ApplicationSyntaxReference?.GetSyntax(cancellationToken))
            .OfType<AttributeSyntax>()
            .FirstOrDefault();
}
