using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SlimGen.Generator.Diagnostics;

/// <summary>
/// SLIM020: a layer kind such as <c>Conv2d</c>, written bare in a SlimGen attribute (<c>[ArgScope(Conv2d, ...)]</c>)
/// for <c>using static SlimGen.Op;</c>, that binds to a method of the same name instead, as the methods of
/// <c>TorchSharp.torch.nn</c> do under <c>using static TorchSharp.torch.nn;</c>. The compiler says only that a
/// method group does not convert to <c>Op</c> (CS1503); this says why, and the code fix writes <c>Op.Conv2d</c>.
/// </summary>
/// <remarks>
/// A generator that only reports, not an analyzer: the command-line compiler stops at CS1503, an error in an
/// attribute, before it runs analyzers, but it reports what generators found, which run earlier. The syntax step
/// yields only strings and spans, so it caches like the model generator's.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class OpNameGenerator : IIncrementalGenerator
{
    /// <summary>The tracking name of the step that finds hidden layer kinds, for the caching tests.</summary>
    internal const string FindStep = "SlimGen.FindHiddenOp";

    private const string OpTypeName = "SlimGen.Op";
    private static readonly ImmutableHashSet<string> OpNames = ImmutableHashSet.Create(Enum.GetNames(typeof(Op)));

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var hidden = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is AttributeArgumentSyntax { NameEquals: null, Expression: IdentifierNameSyntax name } &&
                                    OpNames.Contains(name.Identifier.ValueText),
                static (syntax, cancellationToken) => Find((AttributeArgumentSyntax)syntax.Node, syntax.SemanticModel, cancellationToken))
            .WithTrackingName(FindStep)
            .Where(static found => found is not null);
        // The tree is looked up again at the end so that the diagnostic has a source location, which the IDE's code
        // fix needs; only this cheap step depends on the whole compilation.
        context.RegisterSourceOutput(hidden.Combine(context.CompilationProvider), static (production, input) =>
        {
            var (found, compilation) = input;
            var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == found!.Path);
            var location = tree is null ? Location.Create(found!.Path, found.Span, found.Lines) : Location.Create(tree, found!.Span);
            production.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OpNameHidden, location, found.Name, found.Meaning));
        });
    }

    /// <summary>The hidden layer kind this argument names, or null when it names the layer kind or anything else.</summary>
    private static HiddenOp? Find(AttributeArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
    {
        var identifier = (IdentifierNameSyntax)argument.Expression;
        if (argument.Parent?.Parent is not AttributeSyntax attribute ||
            model.Compilation.GetTypeByMetadataName(OpTypeName) is not { TypeKind: TypeKind.Enum } op ||
            model.GetTypeInfo(attribute, cancellationToken).Type is not { } attributeType ||
            !SymbolEqualityComparer.Default.Equals(attributeType.ContainingAssembly, op.ContainingAssembly))
        {
            return null;
        }

        // Only a method group: it can never be an attribute argument, so the user meant the layer kind.
        var binding = model.GetSymbolInfo(identifier, cancellationToken);
        var method = (binding.Symbol is null ? binding.CandidateSymbols : ImmutableArray.Create(binding.Symbol)).OfType<IMethodSymbol>().FirstOrDefault();
        if (method is null) return null;
        string name = identifier.Identifier.ValueText;
        var location = identifier.GetLocation();
        return new HiddenOp(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span, name,
            method.ContainingType is null ? name : method.ContainingType.ToDisplayString() + "." + name);
    }

    /// <summary>Where SLIM020 goes and what it says; value-equal, so that unchanged findings stay cached.</summary>
    private sealed record HiddenOp(string Path, TextSpan Span, LinePositionSpan Lines, string Name, string Meaning);
}
