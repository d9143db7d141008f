using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Parsing
{
    /// <summary>
    /// Expands layer attributes into concrete layers: repeat/stack unrolling, TF-Slim naming
    /// (<c>conv1/conv1_2</c>, default names for unscoped layers), arg-scope resolution, number checks.
    /// </summary>
    internal sealed class LayerExpander
    {
        private const double DefaultStddev = 0.01;
        private const double DefaultEpsilon = 1e-5;
        private const double DefaultMomentum = 0.1;

        private readonly ScopeChain _scopes;
        private readonly List<ModelDiagnostic> _diagnostics;
        private readonly HashSet<string> _names = new();
        private readonly Dictionary<string, (Op Op, double Default)> _parameters = new();

        public LayerExpander(ScopeChain scopes, List<ModelDiagnostic> diagnostics)
        {
            _scopes = scopes;
            _diagnostics = diagnostics;
        }

        public List<LayerSpec> Expand(IEnumerable<ClassifiedAttribute> attributes, CancellationToken cancellationToken)
        {
            var list = new List<ClassifiedAttribute>(attributes);
            foreach (var attribute in list)
            {
                ReserveExplicitNames(attribute);
            }

            var layers = new List<LayerSpec>();
            foreach (var attribute in list)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (attribute.Role)
                {
                    case AttributeRole.Layer:
                        ExpandSingle(attribute, layers);
                        break;
                    case AttributeRole.Repeat:
                        ExpandRepeat(attribute, layers);
                        break;
                    case AttributeRole.Stack:
                        ExpandStack(attribute, layers);
                        break;
                }
            }
            return layers;
        }

        private void ReserveExplicitNames(ClassifiedAttribute attribute)
        {
            var scope = ScopeOf(attribute);
            if (scope is null || !IsValidName(scope, attribute.Source.At("Scope"))) return;

            var names = new List<string> { scope };
            int count = attribute.Role switch
            {
                AttributeRole.Repeat => AttributeReader.Int(attribute.Data!.ConstructorArguments[0]) ?? 0,
                AttributeRole.Stack => AttributeReader.Ints(attribute.Data!.ConstructorArguments[1])?.Length ?? 0,
                _ => 0,
            };
            for (int i = 1; i <= count && i <= MaxUnrolled; i++)
            {
                names.Add(scope + "_" + i.ToString(CultureInfo.InvariantCulture));
            }
            foreach (var name in names)
            {
                if (!_names.Add(name))
                {
                    _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.DuplicateScope, attribute.Source.At("Scope"), name));
                    return;
                }
            }
        }

        /// <summary>Beyond this a repeat is certainly a typo, and unrolling it would only stall the IDE.</summary>
        private const int MaxUnrolled = 1024;

        private void ExpandSingle(ClassifiedAttribute attribute, List<LayerSpec> layers)
        {
            var data = attribute.Data!;
            var args = data.ConstructorArguments;
            var op = attribute.Op;
            long size = 0;
            int kernel = 0;
            double rate = 0;
            switch (op)
            {
                case Op.Conv2d:
                    size = AttributeReader.Int(args[0]) ?? 0;
                    kernel = AttributeReader.Int(args[1]) ?? 0;
                    break;
                case Op.FullyConnected:
                    size = AttributeReader.Int(args[0]) ?? 0;
                    break;
                case Op.MaxPool2d:
                case Op.AvgPool2d:
                    kernel = AttributeReader.Int(args[0]) ?? 0;
                    break;
                case Op.Dropout:
                    rate = AttributeReader.Double(args[0]) ?? 0;
                    break;
            }
            var name = ScopeOf(attribute) ?? NextDefaultName(OpRules.DefaultName(op));
            var layer = Build(attribute, op, group: null, name, size, kernel, rate, sizeSource: attribute.Source.AtPosition(0), kernelSource: attribute.Source.AtPosition(op == Op.Conv2d ? 1 : 0));
            if (layer is not null) layers.Add(layer);
        }

        private void ExpandRepeat(ClassifiedAttribute attribute, List<LayerSpec> layers)
        {
            var data = attribute.Data!;
            int count = AttributeReader.Int(data.ConstructorArguments[0]) ?? 0;
            var op = (Op)(AttributeReader.Int(data.ConstructorArguments[1]) ?? 0);
            var values = AttributeReader.Ints(data.ConstructorArguments[2]) ?? ImmutableArray<int>.Empty;

            var expected = OpRules.RepeatArguments(op);
            if (expected is null || expected.Length != values.Length)
            {
                var takes = expected is null
                    ? "a non-integer argument, which [Repeat] cannot pass; write the layers out instead"
                    : expected.Length == 0 ? "no arguments" : string.Join(", ", expected);
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.WrongArgumentCount, attribute.Source, "[Repeat]", op, takes, values.Length));
                return;
            }
            if (count < 1 || count > MaxUnrolled)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source.AtPosition(0),
                    "[Repeat]", "count", count, "between 1 and " + MaxUnrolled.ToString(CultureInfo.InvariantCulture)));
                return;
            }
            ReportKeysThatDoNotApply(attribute, op);

            var group = ScopeOf(attribute) ?? NextDefaultName("repeat");
            for (int i = 1; i <= count; i++)
            {
                long size = op is Op.Conv2d or Op.FullyConnected ? values[0] : 0;
                int kernel = op switch { Op.Conv2d => values[1], Op.MaxPool2d or Op.AvgPool2d => values[0], _ => 0 };
                var layer = Build(attribute, op, group, group + "_" + i.ToString(CultureInfo.InvariantCulture), size, kernel, rate: 0,
                    sizeSource: attribute.Source.AtPosition(2), kernelSource: attribute.Source.AtPosition(op == Op.Conv2d ? 3 : 2));
                if (layer is null) return;
                layers.Add(layer);
            }
        }

        private void ExpandStack(ClassifiedAttribute attribute, List<LayerSpec> layers)
        {
            var data = attribute.Data!;
            var op = (Op)(AttributeReader.Int(data.ConstructorArguments[0]) ?? 0);
            var values = AttributeReader.Ints(data.ConstructorArguments[1]) ?? ImmutableArray<int>.Empty;
            if (!OpRules.Stackable(op) || values.IsEmpty)
            {
                var takes = OpRules.Stackable(op) ? "at least one value" : "nothing: only Conv2d, FullyConnected and pools can be stacked";
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.WrongArgumentCount, attribute.Source, "[Stack]", op, takes, values.Length));
                return;
            }
            if (values.Length > MaxUnrolled)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source,
                    "[Stack]", "values", values.Length, "at most " + MaxUnrolled.ToString(CultureInfo.InvariantCulture)));
                return;
            }
            int? kernelKey = AttributeReader.Named(data, "Kernel") is TypedConstant k ? AttributeReader.Int(k) : null;
            if (op == Op.Conv2d && kernelKey is null)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.WrongArgumentCount, attribute.Source,
                    "[Stack]", op, "a kernel size; add Kernel = 3 (for example)", 0));
                return;
            }
            ReportKeysThatDoNotApply(attribute, op);

            var group = ScopeOf(attribute) ?? NextDefaultName("stack");
            for (int i = 0; i < values.Length; i++)
            {
                bool pooling = op is Op.MaxPool2d or Op.AvgPool2d;
                var valueSource = attribute.Source.AtPosition(1 + i);
                var layer = Build(attribute, op, group, group + "_" + (i + 1).ToString(CultureInfo.InvariantCulture),
                    size: pooling ? 0 : values[i], kernel: pooling ? values[i] : kernelKey ?? 0, rate: 0,
                    sizeSource: valueSource, kernelSource: pooling ? valueSource : attribute.Source.At("Kernel"));
                if (layer is null) return;
                layers.Add(layer);
            }
        }

        private LayerSpec? Build(ClassifiedAttribute attribute, Op op, string? group, string name, long size, int kernel, double rate, SourceRef sizeSource, SourceRef kernelSource)
        {
            var data = attribute.Data!;
            var explicitArgs = AttributeReader.Keys(data);
            var args = _scopes.Resolve(op, explicitArgs);
            var label = group is null ? name : group + "/" + name;
            var parameter = AttributeReader.Named(data, "Parameter") is TypedConstant p ? AttributeReader.String(p) : null;
            double epsilon = AttributeReader.Named(data, "Epsilon") is TypedConstant e ? AttributeReader.Double(e) ?? DefaultEpsilon : DefaultEpsilon;
            double momentum = AttributeReader.Named(data, "Momentum") is TypedConstant m ? AttributeReader.Double(m) ?? DefaultMomentum : DefaultMomentum;

            var layer = new LayerSpec(
                attribute.Source,
                op,
                group,
                name,
                size,
                kernel,
                args.Stride ?? OpRules.DefaultStride(op),
                args.Padding ?? OpRules.DefaultPadding(op),
                args.Activation ?? OpRules.DefaultActivation(op),
                args.WeightsInit is null or Init.Default ? Init.Xavier : args.WeightsInit.Value,
                args.WeightsStddev ?? DefaultStddev,
                args.BiasInit is null or Init.Default ? Init.Zeros : args.BiasInit.Value,
                args.WeightDecay ?? 0,
                args.UseBias ?? true,
                args.Normalizer ?? Norm.None,
                rate,
                epsilon,
                momentum,
                parameter);

            bool valid = CheckNumbers(layer, label, attribute.Source, explicitArgs, sizeSource, kernelSource);
            if (parameter is not null)
            {
                valid &= CheckParameter(layer, parameter, attribute.Source.At("Parameter"));
            }
            if (op == Op.Dropout && rate == 0)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.LayerDoesNothing, attribute.Source.AtPosition(0), label, "a dropout rate of 0 keeps every value; remove the layer or raise the rate"));
            }
            return valid ? layer : null;
        }

        private bool CheckNumbers(LayerSpec layer, string label, SourceRef source, LayerArgs explicitArgs, SourceRef sizeSource, SourceRef kernelSource)
        {
            int before = _diagnostics.Count;
            void Invalid(SourceRef where, string what, object value, string rule) =>
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, where, label, what, Format(value), rule));
            SourceRef KeySource(string key, LayerArgs given) => IsGiven(given, key) ? source.At(key) : source;

            switch (layer.Op)
            {
                case Op.Conv2d:
                case Op.FullyConnected:
                    if (layer.Size < 1) Invalid(sizeSource, layer.Op == Op.Conv2d ? "filters" : "units", layer.Size, "at least 1");
                    if (layer.WeightsStddev < 0 || double.IsNaN(layer.WeightsStddev)) Invalid(KeySource("WeightsStddev", explicitArgs), "WeightsStddev", layer.WeightsStddev, "zero or more");
                    if (layer.WeightDecay < 0 || double.IsNaN(layer.WeightDecay)) Invalid(KeySource("WeightDecay", explicitArgs), "WeightDecay", layer.WeightDecay, "zero or more");
                    break;
                case Op.Dropout:
                    if (!(layer.Rate >= 0 && layer.Rate < 1)) Invalid(source.AtPosition(0), "rate", layer.Rate, "in [0, 1): it is the drop probability");
                    break;
                case Op.BatchNorm:
                    if (!(layer.Epsilon > 0)) Invalid(source.At("Epsilon"), "Epsilon", layer.Epsilon, "greater than 0");
                    if (!(layer.Momentum >= 0 && layer.Momentum <= 1)) Invalid(source.At("Momentum"), "Momentum", layer.Momentum, "in [0, 1]");
                    break;
            }
            if (layer.Op is Op.Conv2d or Op.MaxPool2d or Op.AvgPool2d)
            {
                if (layer.Kernel < 1) Invalid(kernelSource, "kernel", layer.Kernel, "at least 1");
                if (layer.Stride < 1) Invalid(KeySource("Stride", explicitArgs), "Stride", layer.Stride, "at least 1");
            }
            return _diagnostics.Count == before;
        }

        private static bool IsGiven(LayerArgs args, string key)
        {
            foreach (var given in args.GivenKeys())
            {
                if (given == key) return true;
            }
            return false;
        }

        private bool CheckParameter(LayerSpec layer, string parameter, SourceRef source)
        {
            if (layer.Op is not (Op.Conv2d or Op.FullyConnected or Op.Dropout))
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, source, "'" + layer.Path + "'", "Parameter", layer.Op));
                return true;
            }
            if (!SyntaxFacts.IsValidIdentifier(parameter) || SyntaxFacts.GetKeywordKind(parameter) != SyntaxKind.None || parameter is "device" or "dtype")
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidScopeName, source, parameter,
                    "a constructor parameter needs a C# identifier that is not a keyword, 'device' or 'dtype'"));
                return false;
            }
            // Convolutions and dense layers share a long-typed parameter; dropout's is a double.
            var kind = layer.Op == Op.Dropout ? Op.Dropout : Op.FullyConnected;
            double value = layer.Op == Op.Dropout ? layer.Rate : layer.Size;
            if (_parameters.TryGetValue(parameter, out var existing))
            {
                if (existing.Op != kind || existing.Default != value)
                {
                    _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterConflict, source, parameter,
                        (kind == Op.Dropout ? "a rate" : "a size") + " of " + Format(value) + " (first declared as " + (existing.Op == Op.Dropout ? "a rate" : "a size") + " of " + Format(existing.Default) + ")"));
                    return false;
                }
                return true;
            }
            _parameters.Add(parameter, (kind, value));
            return true;
        }

        private bool IsValidName(string name, SourceRef source)
        {
            string? problem = null;
            if (!SyntaxFacts.IsValidIdentifier(name) || name.StartsWith("@", System.StringComparison.Ordinal))
            {
                problem = "a scope must be a C# identifier (letters, digits and '_') because it names a field and a state_dict key";
            }
            else if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None)
            {
                problem = "it is a C# keyword; add a suffix such as '" + name + "_1'";
            }
            else if (ReservedNames.Contains(name))
            {
                problem = "it clashes with a member of the model (TorchSharp Module or generated code); choose another name";
            }
            if (problem is null) return true;
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidScopeName, source, name, problem));
            return false;
        }

        private string NextDefaultName(string stem)
        {
            var name = stem;
            for (int i = 1; _names.Contains(name); i++)
            {
                name = stem + "_" + i.ToString(CultureInfo.InvariantCulture);
            }
            _names.Add(name);
            return name;
        }

        private void ReportKeysThatDoNotApply(ClassifiedAttribute attribute, Op op)
        {
            foreach (var key in AttributeReader.Keys(attribute.Data!).GivenKeys())
            {
                if (!OpRules.Applies(op, key))
                {
                    _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At(key),
                        attribute.Role == AttributeRole.Repeat ? "[Repeat]" : "[Stack]", key, op));
                }
            }
        }

        private static string? ScopeOf(ClassifiedAttribute attribute) =>
            AttributeReader.Named(attribute.Data!, "Scope") is TypedConstant scope ? AttributeReader.String(scope) : null;

        private static string Format(object value) => value switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };

        /// <summary>Members a field named after a scope would hide or clash with.</summary>
        private static readonly HashSet<string> ReservedNames = new()
        {
            "forward", "call", "train", "eval", "training", "to", "cpu", "cuda", "half", "bfloat16", "type",
            "parameters", "named_parameters", "buffers", "named_buffers", "children", "named_children", "modules",
            "named_modules", "state_dict", "load_state_dict", "register_module", "register_buffer", "register_parameter",
            "zero_grad", "apply", "save", "load", "Dispose", "GetName", "RegisterComponents", "handle",
            "Summary", "InputShape", "ForwardWithEndpoints", "RegularizationLoss", "device", "dtype", "input", "x", "scope",
            "endpoints", "loss",
        };
    }
}
