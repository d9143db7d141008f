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
    /// <summary>
    /// SLIM001 and SLIM002: a VALID window larger than its input; with <c>Padding = Pad.Same</c> the layer keeps
    /// <c>ceil(in / stride)</c> outputs, at least 1, whatever the kernel.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SamePaddingCodeFixProvider)), Shared]
    public sealed class SamePaddingCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.SpatialSizeBelowOne.Id, DiagnosticDescriptors.KernelLargerThanInput.Id);

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
                        "Use Padding = Pad.Same",
                        cancellationToken => AttributeSyntaxEditing.ReplaceAsync(context.Document, layer,
                            AttributeSyntaxEditing.WithNamedArgument(layer, "Padding", AttributeSyntaxEditing.SlimGenValue("Pad.Same")), cancellationToken),
                        equivalenceKey: nameof(SamePaddingCodeFixProvider)),
                    diagnostic);
            }
        }
    }
}
