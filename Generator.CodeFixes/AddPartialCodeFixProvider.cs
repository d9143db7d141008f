using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlimGen.Generator.CodeFixes
{
    /// <summary>SLIM007: adds the <c>partial</c> modifier the generated half of the model needs.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFixProvider)), Shared]
    public sealed class AddPartialCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NotPartial.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                // The diagnostic is on the class name.
                var span = diagnostic.Location.SourceSpan;
                if (root?.FindToken(span.Start).Parent is not ClassDeclarationSyntax model || model.Identifier.Span != span) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Make '{model.Identifier.ValueText}' partial",
                        cancellationToken => AttributeSyntaxEditing.ReplaceAsync(context.Document, model, WithPartial(model), cancellationToken),
                        equivalenceKey: nameof(AddPartialCodeFixProvider)),
                    diagnostic);
            }
        }

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
}
