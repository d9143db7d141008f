using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes
{
    /// <summary>SLIM003: inserts <c>[Flatten]</c> before a dense layer whose input is not flat.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
    public sealed class InsertFlattenCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DenseNeedsFlatten.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var dense = await AttributeSyntaxEditing.FindExactAsync<AttributeSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (dense is null) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Insert [Flatten] before this layer",
                        async cancellationToken =>
                        {
                            var root = await context.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                            return context.Document.WithSyntaxRoot(AttributeSyntaxEditing.InsertBefore(root!, dense, Attribute(AttributeSyntaxEditing.SiblingAttributeName(dense.Name, "Flatten"))));
                        },
                        equivalenceKey: nameof(InsertFlattenCodeFixProvider)),
                    diagnostic);
            }
        }
    }
}
