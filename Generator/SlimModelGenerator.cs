using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Emit;
using SlimGen.Generator.Parsing;

namespace SlimGen.Generator;

/// <summary>
/// Writes the TorchSharp half of every <c>[SlimModel]</c> class. A model with SLIM errors gets its public members
/// with bodies that throw those errors, so that the code using it compiles and the SLIM diagnostics (reported by the
/// analyzer, which shares the parser and the shape inference) are the only errors.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SlimModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incremental-caching tests.</summary>
    public static class Steps
    {
        public const string Parse = "SlimGen.Parse";
        public const string Generate = "SlimGen.Generate";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownAttributes.SlimModel,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, cancellationToken) =>
                    ModelParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, (ClassDeclarationSyntax)ctx.TargetNode, cancellationToken))
            .WithTrackingName(Steps.Parse)
            .Select(static (outcome, _) => GenerationInput.From(outcome))
            .WithTrackingName(Steps.Generate);

        context.RegisterSourceOutput(models, static (production, input) =>
        {
            if (input is not null)
            {
                production.AddSource(ModelFileWriter.HintName(input.Spec), ModelFileWriter.Emit(input));
            }
        });
    }
}
