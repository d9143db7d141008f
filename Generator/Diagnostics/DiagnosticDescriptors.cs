using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Diagnostics
{
    /// <summary>Every diagnostic SlimGen reports. Errors are for models that cannot run; warnings for legal but suspicious ones.</summary>
    internal static class DiagnosticDescriptors
    {
        /// <summary>
        /// docs/diagnostics.md in the repository the package names: the build writes RepositoryUrl (Directory.Build.props)
        /// into the assembly's metadata. Declared before the descriptors, whose initializers use it.
        /// </summary>
        public static readonly string DiagnosticsDocument =
            typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false)
                .OfType<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/')
            + "/blob/main/docs/diagnostics.md";

        private const string ShapeCategory = "SlimGen.Shapes";
        private const string ModelCategory = "SlimGen.Model";

        /// <summary>
        /// Diagnostic property with <see cref="ModelDiagnostic.Suggestion"/>: the value a code fix writes at the
        /// diagnostic's location (SLIM004: a free scope name).
        /// </summary>
        public const string SuggestionProperty = "SlimGen.Suggestion";

        public static readonly DiagnosticDescriptor SpatialSizeBelowOne = Error(
            "SLIM001", ShapeCategory, "Spatial size below 1",
            "'{0}' would reduce the spatial size to {1} (input {2}, kernel {3}, stride {4}); use Padding = Pad.Same, a kernel of at most {5}, or remove the layer");

        public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
            "SLIM002", ShapeCategory, "Kernel larger than a VALID input",
            "'{0}' has a {1}x{1} kernel, larger than its {2} input {3} with Pad.Valid; use Padding = Pad.Same or a kernel of at most {4}");

        public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error(
            "SLIM003", ShapeCategory, "Dense layer on an unflattened tensor",
            "'{0}' is a dense layer, but its input {1} has rank {2}; insert [Flatten] before it");

        public static readonly DiagnosticDescriptor DuplicateScope = Error(
            "SLIM004", ModelCategory, "Duplicate scope name",
            "Scope '{0}' is already taken: {1}; scopes name fields and state_dict keys, so use a unique one such as '{2}'");

        public static readonly DiagnosticDescriptor InvalidNumber = Error(
            "SLIM005", ModelCategory, "Invalid number",
            "{0} has {1} = {2}, but it must be {3}");

        public static readonly DiagnosticDescriptor InvalidInputShape = Error(
            "SLIM006", ShapeCategory, "Invalid input shape",
            "'{0}' declares the input shape {1}, which is invalid: {2}");

        public static readonly DiagnosticDescriptor NotPartial = Error(
            "SLIM007", ModelCategory, "Model class must be partial",
            "'{0}' must be declared partial so that SlimGen can write the rest of it; add the partial modifier");

        public static readonly DiagnosticDescriptor UnsupportedClass = Error(
            "SLIM008", ModelCategory, "Unsupported model class",
            "'{0}' cannot be a SlimGen model: {1}");

        public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
            "SLIM009", ModelCategory, "SlimGen attribute on another partial declaration",
            "[{0}] must be on the declaration of '{1}' that carries [SlimModel], whose source order defines the network; move it there");

        public static readonly DiagnosticDescriptor InvalidScopeName = Error(
            "SLIM010", ModelCategory, "Unusable scope or parameter name",
            "{0} '{1}' is not usable: {2}");

        public static readonly DiagnosticDescriptor RankMismatch = Error(
            "SLIM011", ShapeCategory, "Input of the wrong rank",
            "'{0}' needs a {1} input but receives {2}; {3}");

        public static readonly DiagnosticDescriptor KeyDoesNotApply = Warning(
            "SLIM012", ModelCategory, "Key does not apply",
            "{0} sets {1}, which does not apply to {2}; remove it");

        public static readonly DiagnosticDescriptor SizeOverflow = Error(
            "SLIM013", ShapeCategory, "Size overflow",
            "'{0}' makes the {1} exceed what a 64-bit count can hold (input {2}); use smaller layers or a smaller input");

        public static readonly DiagnosticDescriptor ParameterConflict = Error(
            "SLIM014", ModelCategory, "Conflicting constructor parameter",
            "Constructor parameter '{0}' is declared again with {1}; give it another name or the same kind and default");

        public static readonly DiagnosticDescriptor NoLayers = Error(
            "SLIM015", ModelCategory, "Model without layers",
            "'{0}' has no layer attributes; add layers such as [Conv2d(32, 3)] below [SlimModel]");

        public static readonly DiagnosticDescriptor WrongArgumentCount = Error(
            "SLIM016", ModelCategory, "Wrong layer arguments",
            "{0} of {1} {2}");

        public static readonly DiagnosticDescriptor OutputShapeMismatch = Error(
            "SLIM017", ShapeCategory, "Declared output shape mismatch",
            "'{0}' declares OutputShape {1}, but its layers produce {2}; change OutputShape or the layers");

        public static readonly DiagnosticDescriptor LayerDoesNothing = Warning(
            "SLIM018", ModelCategory, "Layer does nothing",
            "'{0}' does nothing: {1}");

        public static readonly DiagnosticDescriptor ChannelsLastInput = Error(
            "SLIM019", ShapeCategory, "Channels-last input shape",
            "'{0}' declares the input shape {1}, which reads as channels-last (height, width, channels), and its layers shrink it to nothing; SlimGen shapes are channels-first (channels, height, width): declare [SlimModel({2})]");

        public static readonly DiagnosticDescriptor OpNameHidden = Error(
            "SLIM020", ModelCategory, "Layer kind hidden by another name",
            "'{0}' here means {1}, not the layer kind Op.{0}: a 'using static' directive (such as TorchSharp.torch.nn's) brings in methods of that name; write Op.{0}");

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
                helpLinkUri: DiagnosticsDocument + "#" + id.ToLowerInvariant());
    }
}
