using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Emit;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator
{
    /// <summary>
    /// Writes the TorchSharp half of every <c>[SlimModel]</c> class. Invalid models produce no output:
    /// their diagnostics come from the analyzer, which shares the parser and the shape inference.
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
                    production.AddSource(ModelEmitter.HintName(input.Spec), ModelEmitter.Emit(input.Spec, input.Shapes));
                }
            });
        }
    }

    /// <summary>A model that passed every check, with its shapes: all the emitter needs, compared by value.</summary>
    internal sealed record GenerationInput(ModelSpec Spec, ShapeReport Shapes)
    {
        public static GenerationInput? From(ParseOutcome outcome)
        {
            var (shapes, diagnostics) = ModelCheck.Run(outcome);
            return shapes is not null && !ModelCheck.HasErrors(diagnostics) ? new GenerationInput(outcome.Spec!, shapes) : null;
        }
    }
}
