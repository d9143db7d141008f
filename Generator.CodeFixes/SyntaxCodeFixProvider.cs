using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// What every SlimGen code fix does alike: find the <typeparamref name="TNode"/> a diagnostic sits on, ask the fix
/// for a title and an edit of the syntax tree, and offer it (Fix All batches the edits). The fixes differ only in
/// <see cref="Fix"/>.
/// </summary>
public abstract class SyntaxCodeFixProvider<TNode> : CodeFixProvider
    where TNode : SyntaxNode
{
    /// <summary>Creates the provider for the diagnostics it fixes.</summary>
    protected SyntaxCodeFixProvider(params DiagnosticDescriptor[] fixable) =>
        FixableDiagnosticIds = fixable.Select(descriptor => descriptor.Id).Distinct().ToImmutableArray();

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Find(root, diagnostic.Location.SourceSpan) is not { } node || Fix(node, diagnostic) is not var (title, edit)) continue;
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(document.WithSyntaxRoot(edit(root))), equivalenceKey: GetType().Name),
                diagnostic);
        }
    }

    /// <summary>The node the diagnostic is on: by default the <typeparamref name="TNode"/> whose span is exactly the diagnostic's.</summary>
    protected virtual TNode? Find(SyntaxNode root, TextSpan span) =>
        root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<TNode>().FirstOrDefault(candidate => candidate.Span == span);

    /// <summary>The fix's title and its edit of the syntax root, or null when this diagnostic has no unambiguous fix.</summary>
    protected abstract (string Title, Func<SyntaxNode, SyntaxNode> Edit)? Fix(TNode node, Diagnostic diagnostic);
}
