using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SlimGen.Generator.Diagnostics
{
    /// <summary>Every diagnostic SlimGen reports. Errors are for models that cannot run; warnings for legal but suspicious ones.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string ShapeCategory = "SlimGen.Shapes";
        private const string ModelCategory = "SlimGen.Model";

        public static readonly DiagnosticDescriptor SpatialSizeBelowOne = Error(
            "SLIM001", ShapeCategory, "Spatial size below 1",
            "'{0}' would reduce the spatial size to {1} (input {2}, kernel {3}, stride {4}); remove the layer, lower its stride or use Pad.Same");

        public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
            "SLIM002", ShapeCategory, "Kernel larger than a VALID input",
            "'{0}' has kernel {1} but its input is only {2} with Pad.Valid; use Padding = Pad.Same or a smaller kernel");

        public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error(
            "SLIM003", ShapeCategory, "Dense layer on an unflattened tensor",
            "'{0}' is a dense layer but its input {1} has rank {2}; insert [Flatten] before it");

        public static readonly DiagnosticDescriptor DuplicateScope = Error(
            "SLIM004", ModelCategory, "Duplicate scope name",
            "Scope '{0}' is already used by another layer; scopes name fields and state_dict keys, so give this layer a unique Scope");

        public static readonly DiagnosticDescriptor InvalidNumber = Error(
            "SLIM005", ModelCategory, "Invalid number",
            "'{0}' has {1} = {2}, but it must be {3}");

        public static readonly DiagnosticDescriptor InvalidInputShape = Error(
            "SLIM006", ShapeCategory, "Invalid input shape",
            "[SlimModel] input shape {0} is invalid: {1}");

        public static readonly DiagnosticDescriptor NotPartial = Error(
            "SLIM007", ModelCategory, "Model class must be partial",
            "'{0}' must be declared partial so that SlimGen can generate the rest of it");

        public static readonly DiagnosticDescriptor UnsupportedClass = Error(
            "SLIM008", ModelCategory, "Unsupported model class",
            "'{0}' cannot be a SlimGen model: {1}");

        public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
            "SLIM009", ModelCategory, "Layer attributes split across partial declarations",
            "Layer attributes of '{0}' must all be on the declaration that carries [SlimModel], whose source order defines the network; move this one there");

        public static readonly DiagnosticDescriptor InvalidScopeName = Error(
            "SLIM010", ModelCategory, "Invalid scope name",
            "Scope '{0}' is not usable: {1}");

        public static readonly DiagnosticDescriptor RankMismatch = Error(
            "SLIM011", ShapeCategory, "Input of the wrong rank",
            "'{0}' needs a {1} input but receives {2}; {3}");

        public static readonly DiagnosticDescriptor KeyDoesNotApply = Warning(
            "SLIM012", ModelCategory, "Key does not apply",
            "{0} sets {1}, which does not apply to {2}; remove it");

        public static readonly DiagnosticDescriptor SizeOverflow = Error(
            "SLIM013", ShapeCategory, "Size overflow",
            "'{0}' makes the {1} exceed what a 64-bit count can hold; use smaller layers");

        public static readonly DiagnosticDescriptor ParameterConflict = Error(
            "SLIM014", ModelCategory, "Conflicting constructor parameter",
            "Constructor parameter '{0}' is declared again with {1}; give it another name or the same kind and default");

        public static readonly DiagnosticDescriptor NoLayers = Error(
            "SLIM015", ModelCategory, "Model without layers",
            "'{0}' has no layer attributes; add layers such as [Conv2d(32, 3)] below [SlimModel]");

        public static readonly DiagnosticDescriptor WrongArgumentCount = Error(
            "SLIM016", ModelCategory, "Wrong number of layer arguments",
            "{0} of {1} takes {2}, but {3} were given");

        public static readonly DiagnosticDescriptor OutputShapeMismatch = Error(
            "SLIM017", ShapeCategory, "Declared output shape mismatch",
            "'{0}' declares output {1}, but its layers produce {2}");

        public static readonly DiagnosticDescriptor LayerDoesNothing = Warning(
            "SLIM018", ModelCategory, "Layer does nothing",
            "'{0}' does nothing: {1}");

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = typeof(DiagnosticDescriptors)
            .GetFields()
            .Select(field => field.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .ToDictionary(descriptor => descriptor.Id);

        /// <summary>All descriptors, for the analyzer's SupportedDiagnostics.</summary>
        public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

        public static DiagnosticDescriptor Get(string id) => ById[id];

        private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
            Create(id, category, title, message, DiagnosticSeverity.Error);

        private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
            Create(id, category, title, message, DiagnosticSeverity.Warning);

        private static DiagnosticDescriptor Create(string id, string category, string title, string message, DiagnosticSeverity severity) =>
            new(id, title, message, category, severity, isEnabledByDefault: true,
                helpLinkUri: "https://github.com/slimgen/slimgen/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant());
    }
}
