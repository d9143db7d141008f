using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes
{
    /// <summary>Parser findings plus shape inference: the one verdict the generator and the analyzer share.</summary>
    internal static class ModelCheck
    {
        /// <summary>
        /// Shapes of the model when the parser found no error (shape errors would only cascade from them),
        /// and every diagnostic. The model works when <see cref="HasErrors"/> is false for them all; otherwise its members throw.
        /// </summary>
        public static (ShapeReport? Shapes, IReadOnlyList<ModelDiagnostic> Diagnostics) Run(ParseOutcome outcome)
        {
            if (outcome.Spec is null || HasErrors(outcome.Diagnostics))
            {
                return (null, outcome.Diagnostics.ToList());
            }
            var shapes = ShapeInference.Infer(outcome.Spec);
            return (shapes, outcome.Diagnostics.Concat(shapes.Diagnostics).ToList());
        }

        public static bool HasErrors(IEnumerable<ModelDiagnostic> diagnostics) => diagnostics.Any(IsError);

        public static bool IsError(ModelDiagnostic diagnostic) => diagnostic.Descriptor.DefaultSeverity == DiagnosticSeverity.Error;
    }
}
