using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>Parser findings plus shape inference: the one verdict the generator and the analyzer share.</summary>
internal static class ModelCheck
{
    /// <summary>
    /// Shapes of the model when the parser found no error (shape errors would only cascade from them),
    /// and every diagnostic. The model works when <see cref="HasErrors"/> is false for them all; otherwise its members throw.
    /// </summary>
    /// <param name="blocks">The blocks of the compilation by fully qualified name, which the model's block uses refer to.</param>
    public static (ShapeReport? Shapes, IReadOnlyList<ModelDiagnostic> Diagnostics) Run(ParseOutcome outcome, IReadOnlyDictionary<string, BlockOutcome> blocks)
    {
        if (outcome.Spec is null || HasErrors(outcome.Diagnostics))
        {
            return (null, outcome.Diagnostics.ToList());
        }
        var shapes = ShapeInference.Infer(outcome.Spec, blocks);
        return (shapes, outcome.Diagnostics.Concat(ExplainChannelsLast(outcome.Spec, shapes.Diagnostics)).ToList());
    }

    /// <summary>
    /// Every diagnostic of a block on its own, before any use: the parser's and, where it found no error, a channel
    /// count that the block's constants fix past the limit (<see cref="FixedChannels"/>). The block is written when
    /// <see cref="HasErrors"/> is false for them.
    /// </summary>
    /// <param name="blocks">The blocks it uses, directly or through others.</param>
    public static IReadOnlyList<ModelDiagnostic> Block(BlockOutcome outcome, IReadOnlyDictionary<string, BlockOutcome> blocks)
    {
        if (outcome.Spec is null || HasErrors(outcome.Diagnostics) || FixedChannels.FirstOverLimit(outcome.Spec, blocks) is not { } over)
        {
            return outcome.Diagnostics;
        }
        return outcome.Diagnostics.Append(ModelDiagnostic.Create(
            DiagnosticDescriptors.TooManyChannels, over.Layer.Source, over.Layer.Path, Numbers.Text(over.Channels))).ToList();
    }

    /// <summary>
    /// A spatial size that collapses (SLIM001, SLIM002) in a model whose input reads as channels-last, such as
    /// TensorFlow's [28, 28, 1], is the input's fault, not the layer's: SLIM019 on [SlimModel] takes its place, so
    /// the advice is to reorder the input rather than to pad a model that would take 28 input channels.
    /// </summary>
    private static IEnumerable<ModelDiagnostic> ExplainChannelsLast(ModelSpec spec, IEnumerable<ModelDiagnostic> shapeDiagnostics)
    {
        var input = spec.InputShape;
        bool readsChannelsLast = input.Count == 3 && (input[2] == 1 || input[2] == 3) && input[0] > input[2] && input[1] > input[2];
        bool collapses = shapeDiagnostics.Any(IsCollapse);
        if (!readsChannelsLast || !collapses)
        {
            return shapeDiagnostics;
        }
        return shapeDiagnostics.Where(d => !IsCollapse(d)).Append(ModelDiagnostic.Create(
            DiagnosticDescriptors.ChannelsLastInput, new SourceRef(SourceKind.ModelAttribute),
            spec.ClassName, "[" + string.Join(", ", input) + "]", string.Join(", ", input[2], input[0], input[1])));

        static bool IsCollapse(ModelDiagnostic d) =>
            d.Id == DiagnosticDescriptors.SpatialSizeBelowOne.Id || d.Id == DiagnosticDescriptors.KernelLargerThanInput.Id;
    }

    public static bool HasErrors(IEnumerable<ModelDiagnostic> diagnostics) => diagnostics.Any(IsError);

    public static bool IsError(ModelDiagnostic diagnostic) => diagnostic.Descriptor.DefaultSeverity == DiagnosticSeverity.Error;
}
