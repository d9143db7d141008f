using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes
{
    /// <summary>
    /// SLIM018: removes a layer that passes its input through unchanged. Offered only when the diagnostic covers
    /// the whole attribute; the analyzer puts it on an argument instead where removing the attribute would change
    /// the model (a dropout rate of 0 the user may mean to raise, one value of a stack).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveLayerCodeFixProvider)), Shared]
    public sealed class RemoveLayerCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.LayerDoesNothing.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var layer = await AttributeSyntaxEditing.FindExactAsync<AttributeSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (layer is null) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Remove the layer",
                        async cancellationToken =>
                        {
                            var root = await context.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                            return context.Document.WithSyntaxRoot(AttributeSyntaxEditing.Remove(root!, layer));
                        },
                        equivalenceKey: nameof(RemoveLayerCodeFixProvider)),
                    diagnostic);
            }
        }
    }
}
