using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Emit;
using SlimGen.Generator.Model;
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
        public const string ParseBlock = "SlimGen.ParseBlock";
        public const string Blocks = "SlimGen.Blocks";
        public const string Generate = "SlimGen.Generate";
        public const string GenerateBlock = "SlimGen.GenerateBlock";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var blocks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownAttributes.SlimBlock,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, cancellationToken) =>
                    BlockParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, (ClassDeclarationSyntax)ctx.TargetNode, cancellationToken))
            .WithTrackingName(Steps.ParseBlock);
        // Models and blocks see every block by name; each keeps only those it uses, so other edits leave it cached.
        var blockTable = blocks.Collect()
            .Select(static (all, _) => new BlockTable(all))
            .WithTrackingName(Steps.Blocks);

        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownAttributes.SlimModel,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, cancellationToken) =>
                    ModelParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, (ClassDeclarationSyntax)ctx.TargetNode, cancellationToken))
            .WithTrackingName(Steps.Parse)
            .Combine(blockTable)
            .Select(static (pair, _) => GenerationInput.From(pair.Left, pair.Right))
            .WithTrackingName(Steps.Generate);

        var blockInputs = blocks
            .Combine(blockTable)
            .Select(static (pair, _) => BlockInput.From(pair.Left, pair.Right))
            .WithTrackingName(Steps.GenerateBlock);
        context.RegisterSourceOutput(blockInputs, static (production, input) =>
        {
            if (input is not null)
            {
                production.AddSource(BlockEmitter.HintName(input.Spec), BlockEmitter.Emit(input.Spec, input.Blocks));
            }
        });

        context.RegisterSourceOutput(models, static (production, input) =>
        {
            if (input is not null)
            {
                production.AddSource(ModelFileWriter.HintName(input.Spec), ModelFileWriter.Emit(input));
            }
        });
    }
}
