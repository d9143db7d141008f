using System.Collections.Generic;
using System.Linq;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Emit;

/// <summary>
/// What the emitter needs for one model, compared by value: the spec, and either the shapes of a model that passed
/// every check or the SLIM errors that the members of a broken one throw.
/// </summary>
internal sealed record GenerationInput(ModelSpec Spec, ShapeReport? Shapes, EquatableArray<ModelDiagnostic> Errors, BlockTable Blocks)
{
    /// <summary>Null when the class itself cannot take generated members (not partial, generic, half-typed...).</summary>
    public static GenerationInput? From(ParseOutcome outcome, BlockTable blocks)
    {
        if (outcome.Spec is null) return null;
        var (shapes, diagnostics) = ModelCheck.Run(outcome, blocks);
        var errors = diagnostics.Where(ModelCheck.IsError).ToEquatableArray();
        // Only the blocks this model uses, so that an edit to another block leaves its output cached.
        return new GenerationInput(outcome.Spec, errors.Count == 0 ? shapes : null, errors, blocks.UsedBy(outcome.Spec.Layers));
    }
}
