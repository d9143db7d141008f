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
    /// <summary>SLIM012: removes a key that applies to none of the ops it is set for, so it changed nothing.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveKeyCodeFixProvider)), Shared]
    public sealed class RemoveKeyCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.KeyDoesNotApply.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var key = await AttributeSyntaxEditing.FindExactAsync<AttributeArgumentSyntax>(context.Document, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
                if (key is not { NameEquals: not null, Parent.Parent: AttributeSyntax attribute }) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Remove {key.NameEquals.Name.Identifier.ValueText}",
                        cancellationToken => AttributeSyntaxEditing.ReplaceAsync(context.Document, attribute, AttributeSyntaxEditing.WithoutArgument(attribute, key), cancellationToken),
                        equivalenceKey: nameof(RemoveKeyCodeFixProvider)),
                    diagnostic);
            }
        }
    }
}
