using System.Collections.Immutable;
using System.Composition;
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
    /// <summary>SLIM004: renames a duplicate scope to the free name the analyzer chose (only the model knows every name in use).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UniqueScopeCodeFixProvider)), Shared]
    public sealed class UniqueScopeCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DuplicateScope.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestionProperty, out var name) || name is null) continue;
                var scope = await AttributeSyntaxEditing.FindExactAsync<AttributeArgumentSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (scope is null) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Rename the scope to '{name}'",
                        cancellationToken => AttributeSyntaxEditing.ReplaceAsync(context.Document, scope.Expression,
                            LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(name)).WithTriviaFrom(scope.Expression), cancellationToken),
                        equivalenceKey: nameof(UniqueScopeCodeFixProvider)),
                    diagnostic);
            }
        }
    }
}
