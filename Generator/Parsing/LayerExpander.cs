using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// Expands layer attributes into concrete layers: repeat/stack unrolling, TF-Slim naming
/// (<c>conv1/conv1_2</c>, default names for unscoped layers), arg-scope resolution, number checks.
/// </summary>
internal sealed class LayerExpander
{
    /// <summary>Beyond this a repeat is certainly a typo, and unrolling it would only stall the IDE.</summary>
    private const int MaxUnrolled = 1024;

    private readonly ScopeChain _scopes;
    private readonly string _className;
    private readonly HashSet<string> _reservedNames;
    private readonly List<ModelDiagnostic> _diagnostics;

    /// <summary>Every name a layer or a repeat/stack group takes, with the path of its owner for messages.</summary>
    private readonly Dictionary<string, string> _owners = new();

    /// <summary>Constructor parameters in declaration order, with the first <c>Parameter</c> key that declares each.</summary>
    private readonly List<(ModelParameter Parameter, SourceRef Source)> _parameters = new();

    /// <summary>
    /// The Parameter keys of repeats and stacks, noted before their arguments are checked: when the arguments are
    /// too broken to build a layer, the constructor still takes the parameter, so that the code passing it compiles.
    /// </summary>
    private readonly List<ModelParameter> _noted = new();

    /// <summary>The parameter names of the block being expanded; null in a model, where expressions and Strided mean nothing.</summary>
    private readonly ImmutableArray<string>? _blockParameters;

    /// <param name="reservedNames">Names a scope cannot take (<see cref="ReservedNames"/>).</param>
    /// <param name="blockParameters">The parameters of the block being expanded; null for a model.</param>
    public LayerExpander(ScopeChain scopes, string className, HashSet<string> reservedNames, List<ModelDiagnostic> diagnostics,
        ImmutableArray<string>? blockParameters = null)
    {
        _scopes = scopes;
        _className = className;
        _reservedNames = reservedNames;
        _diagnostics = diagnostics;
        _blockParameters = blockParameters;
    }

    /// <summary>A free default name for a layer that has no attribute of its own (a block's <c>concat</c>).</summary>
    public string ReserveDefaultName(string stem) => ReserveDefault(stem, leaves: 0);

    /// <summary>Reserves a name that is not a layer's (a block's branch scope), reporting it when taken.</summary>
    public bool TryReserve(string name, SourceRef source)
    {
        if (!IsValidName(name, source)) return false;
        if (_owners.TryGetValue(name, out var owner))
        {
            var free = ReserveUnique(name, 0);
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.DuplicateScope, source, name, $"layer '{owner}' uses it", free) with { Suggestion = free });
            return false;
        }
        Reserve(name, 0);
        return true;
    }

    public List<LayerSpec> Expand(IEnumerable<ClassifiedAttribute> attributes, CancellationToken cancellationToken)
    {
        var list = new List<ClassifiedAttribute>(attributes);
        ReserveExplicitNames(list);

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
        ReportParametersNamedLikeLayers(layers);
        return layers;
    }

    /// <summary>
    /// The constructor parameters that <see cref="Expand"/> found, also those of layers with errors and of repeats and
    /// stacks whose arguments built no layer (with a default of 0: such a model's members only throw).
    /// </summary>
    public IEnumerable<ModelParameter> Parameters
    {
        get
        {
            var declared = _parameters.Select(p => p.Parameter).ToList();
            return declared.Concat(_noted.Where(noted => !declared.Any(p => p.Name == noted.Name)).GroupBy(p => p.Name).Select(g => g.First()));
        }
    }

    /// <summary>
    /// Explicit scopes are reserved first, so that default names avoid them wherever they appear. A scope that
    /// clashes gets a suggestion once every explicit name is known, reserved so that two suggestions never meet.
    /// </summary>
    private void ReserveExplicitNames(List<ClassifiedAttribute> attributes)
    {
        var clashes = new List<(ClassifiedAttribute Attribute, string Scope, int Leaves, string Taken)>();
        foreach (var attribute in attributes)
        {
            var scope = ScopeOf(attribute);
            if (scope is null || !IsValidName(scope, attribute.Source.At("Scope"))) continue;

            int leaves = LeafCount(attribute);
            var taken = NamesOf(scope, leaves).FirstOrDefault(_owners.ContainsKey);
            if (taken is null) Reserve(scope, leaves);
            else clashes.Add((attribute, scope, leaves, taken));
        }

        foreach (var (attribute, scope, leaves, taken) in clashes)
        {
            var owner = _owners[taken];
            var reason = taken == scope
                ? $"layer '{owner}' uses it"
                : $"its layer '{scope}/{taken}' needs the name '{taken}', which layer '{owner}' uses";
            var free = ReserveUnique(scope, leaves);
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.DuplicateScope, attribute.Source.At("Scope"), scope, reason, free) with { Suggestion = free });
        }
    }

    /// <summary>How many numbered layers a repeat or stack adds under its scope (none for a single layer).</summary>
    private static int LeafCount(ClassifiedAttribute attribute)
    {
        int count = attribute.Role switch
        {
            AttributeRole.Repeat => AttributeReader.Int(attribute.Data!.ConstructorArguments[0]) ?? 0,
            AttributeRole.Stack => AttributeReader.Ints(attribute.Data!.ConstructorArguments[1])?.Length ?? 0,
            _ => 0,
        };
        return count < 0 ? 0 : System.Math.Min(count, MaxUnrolled);
    }

    /// <summary>A scope and, for a repeat or stack, its numbered layers: <c>conv1</c>, <c>conv1_1</c>, <c>conv1_2</c>.</summary>
    private static IEnumerable<string> NamesOf(string scope, int leaves)
    {
        yield return scope;
        for (int i = 1; i <= leaves; i++)
        {
            yield return Numbered(scope, i);
        }
    }

    private static string Numbered(string stem, long number) => stem + "_" + Numbers.Text(number);

    private bool IsFree(string scope, int leaves) => NamesOf(scope, leaves).All(name => name != _className && !_owners.ContainsKey(name));

    private void Reserve(string scope, int leaves)
    {
        _owners[scope] = scope;
        for (int i = 1; i <= leaves; i++)
        {
            _owners[Numbered(scope, i)] = scope + "/" + Numbered(scope, i);
        }
    }

    /// <summary>TF-Slim's default naming: <c>conv2d</c>, then <c>conv2d_1</c>, <c>conv2d_2</c>...</summary>
    private string ReserveDefault(string stem, int leaves)
    {
        var name = stem;
        for (long i = 1; !IsFree(name, leaves); i++)
        {
            name = Numbered(stem, i);
        }
        Reserve(name, leaves);
        return name;
    }

    /// <summary>
    /// A free scope close to a clashing one: a trailing number counts on (<c>conv1</c> gives <c>conv2</c>, as
    /// a copied line usually means), otherwise a suffix is added (<c>fc</c> gives <c>fc_1</c>).
    /// </summary>
    private string ReserveUnique(string scope, int leaves)
    {
        int digits = scope.Length - scope.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9').Length;
        string stem = scope + "_";
        long next = 1;
        if (digits is > 0 and < 10)
        {
            stem = scope.Substring(0, scope.Length - digits);
            next = long.Parse(scope.Substring(stem.Length), CultureInfo.InvariantCulture) + 1;
        }
        for (; ; next++)
        {
            var candidate = stem + Numbers.Text(next);
            if (IsFree(candidate, leaves))
            {
                Reserve(candidate, leaves);
                return candidate;
            }
        }
    }

    private void ExpandSingle(ClassifiedAttribute attribute, List<LayerSpec> layers)
    {
        var args = attribute.Data!.ConstructorArguments;
        var op = attribute.Op;
        if (op == Op.Block)
        {
            bool auxHead = attribute.Data.AttributeClass?.Name == "AuxHeadAttribute";
            var name = ScopeOf(attribute) ?? ReserveDefault(auxHead ? "aux_head" : OpRules.DefaultName(op), leaves: 0);
            var stride = AttributeReader.Named(attribute.Data, "Stride") is TypedConstant s ? AttributeReader.Int(s) ?? 1 : 1;
            var parameter = auxHead && AttributeReader.Named(attribute.Data, "Parameter") is TypedConstant p ? AttributeReader.String(p) : null;
            if (parameter is not null && !IsUsableParameterName(parameter))
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterNotIdentifier, attribute.Source.At("Parameter"), parameter, "'" + name + "'"));
                return;
            }
            if (parameter is not null && !_parameters.Any(existing => existing.Parameter.Name == parameter))
            {
                _parameters.Add((new ModelParameter(parameter, ParameterKind.Switch, 0), attribute.Source.At("Parameter")));
            }
            if (auxHead && _blockParameters is not null)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source, "A block", "[AuxHead]", "blocks; heads belong to models"));
                return;
            }
            if (BlockUse(attribute, args[0], args[1], stride) is { } block)
            {
                layers.Add(new LayerSpec(attribute.Source, op, Group: null, name) { Block = block, IsAuxHead = auxHead, Parameter = parameter });
            }
            return;
        }

        long size = op is Op.Conv2d or Op.FullyConnected ? AttributeReader.Int(args[0]) ?? 0 : 0;
        var sizeExpression = op is Op.Conv2d or Op.FullyConnected && AttributeReader.String(args[0]) is { } text
            ? ReadExpression(text, attribute.Source.AtPosition(0))
            : null;
        // The kernel's position: after the filters of a convolution, first for the others.
        int kernelAt = op == Op.Conv2d ? 1 : 0;
        int kernelHeight = OpRules.HasWindow(op) ? AttributeReader.Int(args[kernelAt]) ?? 0 : 0;
        int kernelWidth = OpRules.HasWindow(op) && args.Length > kernelAt + 1 ? AttributeReader.Int(args[kernelAt + 1]) ?? 0 : kernelHeight;
        double rate = op == Op.Dropout ? AttributeReader.Double(args[0]) ?? 0 : 0;
        if (sizeExpression is null && op is Op.Conv2d or Op.FullyConnected && AttributeReader.String(args[0]) is not null)
        {
            return;
        }

        var layerName = ScopeOf(attribute) ?? ReserveDefault(OpRules.DefaultName(op), leaves: 0);
        var layer = Build(attribute, op, group: null, layerName, size, kernelHeight, kernelWidth, rate,
            sizeSource: attribute.Source.AtPosition(0), kernelSource: attribute.Source.AtPosition(kernelAt), sizeExpression);
        if (layer is not null) layers.Add(layer);
    }

    /// <summary>
    /// A use of a block, checked as far as the block's class alone allows (it must be a block of this compilation);
    /// the arguments are checked against the block's parameters when the model is checked.
    /// </summary>
    private BlockUseSpec? BlockUse(ClassifiedAttribute attribute, TypedConstant type, TypedConstant arguments, int stride)
    {
        if (type.Value is not INamedTypeSymbol block || AttributeReader.Ints(arguments) is not { } values)
        {
            return null;
        }
        bool isBlock = block.GetAttributes().Any(a => KnownAttributes.RoleOf(a.AttributeClass, out _) == AttributeRole.Block);
        if (!isBlock || block.DeclaringSyntaxReferences.IsEmpty)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NotABlock, attribute.Source, block.Name,
                isBlock ? "it is declared in another assembly, and SlimGen reads blocks from source" : "it has no [SlimBlock] attribute"));
            return null;
        }
        if (stride < 1)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source.At("Stride"),
                "'" + block.Name + "'", "Stride", Numbers.Text(stride), "at least 1"));
            return null;
        }
        return new BlockUseSpec(block.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), block.Name, values.ToEquatableArray(), stride);
    }

    /// <summary>A size expression, allowed in blocks only, over the block's parameters and <c>in</c>.</summary>
    private Expression? ReadExpression(string text, SourceRef source)
    {
        if (_blockParameters is not { } parameters)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.BlockConstructOutsideBlock, source, "a size given as an expression (\"" + text + "\")", "give the number itself"));
            return null;
        }
        var expression = Expression.Parse(text, out var problem);
        if (expression is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidExpression, source, text, problem!));
            return null;
        }
        foreach (var name in expression.Names)
        {
            if (name != Expression.InputChannels && !parameters.Contains(name))
            {
                var known = string.Join(", ", parameters.Concat(new[] { Expression.InputChannels }));
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidExpression, source, text, $"'{name}' is not one of the block's names ({known})"));
                return null;
            }
        }
        return expression;
    }

    private void ExpandRepeat(ClassifiedAttribute attribute, List<LayerSpec> layers)
    {
        var data = attribute.Data!;
        int count = AttributeReader.Int(data.ConstructorArguments[0]) ?? 0;
        if (data.ConstructorArguments[1].Kind == TypedConstantKind.Type)
        {
            ExpandRepeatedBlock(attribute, count, layers);
            return;
        }
        var op = (Op)(AttributeReader.Int(data.ConstructorArguments[1]) ?? 0);
        var values = AttributeReader.Ints(data.ConstructorArguments[2]) ?? ImmutableArray<int>.Empty;
        NoteParameter(attribute, op);

        if (!ArgScopeReader.IsDefined(op))
        {
            _diagnostics.Add(ArgScopeReader.UndefinedOp("[Repeat]", op, attribute.Source.AtPosition(1)));
            return;
        }
        var expected = OpRules.RepeatArguments(op);
        if (expected is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.RepeatOfNonIntegerOp, attribute.Source, op));
            return;
        }
        if (expected.Length != values.Length)
        {
            var form = string.Concat(expected.Select(name => ", " + name));
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.RepeatArgumentCount, attribute.Source, op,
                Values(expected.Length), expected.Length == 0 ? "none" : string.Join(", ", expected), values.Length, form));
            return;
        }
        if (count < 1 || count > MaxUnrolled)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source.AtPosition(0),
                "[Repeat]", "count", Numbers.Text(count), "between 1 and " + Numbers.Text(MaxUnrolled)));
            return;
        }
        ReportKeysThatDoNotApply(attribute, op);

        // Every copy is the same layer under another name, so it is built (and checked) once.
        var group = ScopeOf(attribute) ?? ReserveDefault("repeat", count);
        long size = op is Op.Conv2d or Op.FullyConnected ? values[0] : 0;
        int kernel = op switch { Op.Conv2d => values[1], Op.MaxPool2d or Op.AvgPool2d or Op.DepthwiseConv2d => values[0], _ => 0 };
        var first = Build(attribute, op, group, Numbered(group, 1), size, kernel, kernel, rate: 0,
            sizeSource: attribute.Source.AtPosition(2), kernelSource: attribute.Source.AtPosition(op == Op.Conv2d ? 3 : 2));
        if (first is null) return;
        for (int i = 1; i <= count; i++)
        {
            layers.Add(first with { Name = Numbered(group, i) });
        }
    }

    /// <summary>Units <c>scope/scope_1</c> ... of a block; the stride applies to the first (torchvision's convention).</summary>
    private void ExpandRepeatedBlock(ClassifiedAttribute attribute, int count, List<LayerSpec> layers)
    {
        var data = attribute.Data!;
        if (count < 1 || count > MaxUnrolled)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source.AtPosition(0),
                "[Repeat]", "count", Numbers.Text(count), "between 1 and " + Numbers.Text(MaxUnrolled)));
            return;
        }
        foreach (var key in AttributeReader.Keys(data).GivenKeys().Where(key => key != "Stride")
            .Concat(new[] { "Parameter", "Kernel" }.Where(key => AttributeReader.Named(data, key) is { IsNull: false })))
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At(key), "[Repeat]", key, Op.Block));
        }
        var stride = AttributeReader.Named(data, "Stride") is TypedConstant s ? AttributeReader.Int(s) ?? 1 : 1;
        if (BlockUse(attribute, data.ConstructorArguments[1], data.ConstructorArguments[2], stride) is not { } first)
        {
            return;
        }
        var group = ScopeOf(attribute) ?? ReserveDefault("repeat", count);
        for (int i = 1; i <= count; i++)
        {
            layers.Add(new LayerSpec(attribute.Source, Op.Block, group, Numbered(group, i)) { Block = i == 1 ? first : first with { Stride = 1 } });
        }
    }

    private void ExpandStack(ClassifiedAttribute attribute, List<LayerSpec> layers)
    {
        var data = attribute.Data!;
        var op = (Op)(AttributeReader.Int(data.ConstructorArguments[0]) ?? 0);
        var values = AttributeReader.Ints(data.ConstructorArguments[1]) ?? ImmutableArray<int>.Empty;
        NoteParameter(attribute, op);
        if (!ArgScopeReader.IsDefined(op))
        {
            _diagnostics.Add(ArgScopeReader.UndefinedOp("[Stack]", op, attribute.Source.AtPosition(0)));
            return;
        }
        if (!OpRules.Stackable(op))
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.StackOfUnstackableOp, attribute.Source, op));
            return;
        }
        if (values.IsEmpty)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.StackWithoutValues, attribute.Source, op));
            return;
        }
        if (values.Length > MaxUnrolled)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source,
                "[Stack]", "its number of values", Numbers.Text(values.Length), "at most " + Numbers.Text(MaxUnrolled)));
            return;
        }
        int? kernelKey = AttributeReader.Named(data, "Kernel") is TypedConstant k ? AttributeReader.Int(k) : null;
        if (op == Op.Conv2d && kernelKey is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.StackWithoutKernel, attribute.Source, op));
            return;
        }
        ReportKeysThatDoNotApply(attribute, op);

        var group = ScopeOf(attribute) ?? ReserveDefault("stack", values.Length);
        bool pooling = op is Op.MaxPool2d or Op.AvgPool2d;
        for (int i = 0; i < values.Length; i++)
        {
            var valueSource = attribute.Source.AtPosition(1 + i);
            int kernel = pooling ? values[i] : kernelKey ?? 0;
            var layer = Build(attribute, op, group, Numbered(group, i + 1),
                size: pooling ? 0 : values[i], kernelHeight: kernel, kernelWidth: kernel, rate: 0,
                sizeSource: valueSource, kernelSource: pooling ? valueSource : attribute.Source.At("Kernel"));
            if (layer is null) return;
            layers.Add(layer);
        }
    }

    private LayerSpec? Build(ClassifiedAttribute attribute, Op op, string? group, string name, long size, int kernelHeight, int kernelWidth, double rate,
        SourceRef sizeSource, SourceRef kernelSource, Expression? sizeExpression = null)
    {
        var data = attribute.Data!;
        var explicitArgs = AttributeReader.Keys(data);
        var args = _scopes.Resolve(op, explicitArgs);
        // Repeat and Stack carry Parameter for every op; ReportKeysThatDoNotApply warns where it means nothing.
        var parameter = OpRules.TakesParameter(op) && AttributeReader.Named(data, "Parameter") is TypedConstant p ? AttributeReader.String(p) : null;
        if (parameter is not null && _blockParameters is not null)
        {
            // A block's sizes come from its own parameters; constructor parameters are the model's.
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At("Parameter"), "A layer of a block", "Parameter", op));
            parameter = null;
        }
        int? NamedInt(string key) => AttributeReader.Named(data, key) is TypedConstant value ? AttributeReader.Int(value) : null;
        double? NamedDouble(string key) => AttributeReader.Named(data, key) is TypedConstant value ? AttributeReader.Double(value) : null;
        bool strided = AttributeReader.Named(data, "Strided") is { Value: true };

        var layer = new LayerSpec(attribute.Source, op, group, name)
        {
            Size = size,
            SizeExpression = sizeExpression,
            Multiplier = op == Op.DepthwiseConv2d ? NamedInt("Multiplier") ?? 1 : 1,
            Groups = op == Op.Conv2d ? NamedInt("Groups") ?? 1 : 1,
            Rate = rate,
            Parameter = parameter,
            Window = OpRules.HasWindow(op)
                ? new WindowSpec(KernelHeight: kernelHeight, KernelWidth: kernelWidth, Stride: args.Stride ?? OpRules.DefaultStride(op),
                    Padding: args.Padding ?? OpRules.DefaultPadding(op), PaddingSize: NamedInt("PaddingSize") ?? -1,
                    Dilation: NamedInt("Dilation") ?? 1, Strided: strided)
                : null,
            Weights = OpRules.HasWeights(op) ? Weights(op, args, _scopes) : null,
            Normalization = op is Op.BatchNorm ? Normalization(args, args.Activation ?? OpRules.DefaultActivation(op)) : null,
            ResponseNormalization = op is Op.LocalResponseNorm
                ? new ResponseNormalizationSpec(
                    DepthRadius: AttributeReader.Int(data.ConstructorArguments[0]) ?? 0,
                    Bias: NamedDouble("Bias") ?? 1,
                    Alpha: NamedDouble("Alpha") ?? 1,
                    Beta: NamedDouble("Beta") ?? 0.5)
                : null,
        };

        var label = "'" + layer.Path + "'";
        bool valid = CheckNumbers(layer, label, attribute.Source, explicitArgs, sizeSource, kernelSource);
        if (strided && _blockParameters is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.BlockConstructOutsideBlock, attribute.Source.At("Strided"),
                "Strided = true", "set Stride instead"));
            valid = false;
        }
        if (parameter is not null)
        {
            valid &= CheckParameter(layer, label, parameter, attribute.Source.At("Parameter"));
        }
        ReportIfItDoesNothing(layer, attribute, kernelSource);
        return valid ? layer : null;
    }

    /// <summary>A convolution's or dense layer's weights as <paramref name="args"/> resolved them; its normalizer's settings come from the BatchNorm scopes.</summary>
    internal static WeightsSpec Weights(Op op, LayerArgs args, ScopeChain scopes) => new(
        Activation: args.Activation ?? OpRules.DefaultActivation(op),
        WeightsInit: args.WeightsInit is null or Init.Default ? LayerDefaults.WeightsInit : args.WeightsInit.Value,
        WeightsStddev: args.WeightsStddev ?? LayerDefaults.WeightsStddev,
        BiasInit: args.BiasInit is null or Init.Default ? LayerDefaults.BiasInit : args.BiasInit.Value,
        BiasValue: args.BiasValue ?? 0,
        WeightDecay: args.WeightDecay ?? LayerDefaults.WeightDecay,
        UseBias: args.UseBias ?? LayerDefaults.UseBias,
        Normalizer: args.Normalizer ?? LayerDefaults.Normalizer,
        BatchNorm: args.Normalizer == Norm.BatchNorm ? Normalization(scopes.Resolve(Op.BatchNorm, LayerArgs.None), Act.None) : null);

    internal static NormalizationSpec Normalization(LayerArgs args, Act activation) => new(
        Epsilon: args.Epsilon ?? LayerDefaults.BatchNormEpsilon,
        Momentum: args.Momentum ?? LayerDefaults.BatchNormMomentum,
        Scale: args.Scale ?? true,
        Activation: activation);

    private bool CheckNumbers(LayerSpec layer, string label, SourceRef source, LayerArgs explicitArgs, SourceRef sizeSource, SourceRef kernelSource)
    {
        int before = _diagnostics.Count;
        void Invalid(SourceRef where, string what, string value, string rule) =>
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, where, label, what, value, rule));

        // Values from arg scopes were checked (and left out when invalid) where the scopes are written.
        foreach (var invalid in ArgScopeReader.InvalidValues(explicitArgs).Where(invalid => OpRules.Applies(layer.Op, invalid.Key)))
        {
            _diagnostics.Add(invalid.Report(label, source.At(invalid.Key)));
        }
        switch (layer.Op)
        {
            case Op.Conv2d:
            case Op.FullyConnected:
                if (layer.Size < 1 && layer.SizeExpression is null) Invalid(sizeSource, layer.Op == Op.Conv2d ? "filters" : "units", Numbers.Text(layer.Size), "at least 1");
                if (layer.Groups < 1) Invalid(source.At("Groups"), "Groups", Numbers.Text(layer.Groups), "at least 1");
                break;
            case Op.DepthwiseConv2d:
                if (layer.Multiplier < 1) Invalid(source.At("Multiplier"), "Multiplier", Numbers.Text(layer.Multiplier), "at least 1");
                break;
            case Op.Dropout:
                if (!(layer.Rate >= 0 && layer.Rate < 1))
                    _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidDropoutRate, source.AtPosition(0), label, layer.Rate));
                break;
        }
        if (layer.Normalization is { } normalization)
        {
            if (!(normalization.Epsilon > 0) || double.IsInfinity(normalization.Epsilon))
                Invalid(source.At("Epsilon"), "Epsilon", Numbers.Text(normalization.Epsilon), "a finite number greater than 0");
            if (!(normalization.Momentum >= 0 && normalization.Momentum <= 1))
                Invalid(source.At("Momentum"), "Momentum", Numbers.Text(normalization.Momentum), "in [0, 1]");
        }
        if (layer.ResponseNormalization is { } lrn)
        {
            if (lrn.DepthRadius < 0) Invalid(source.AtPosition(0), "depthRadius", Numbers.Text(lrn.DepthRadius), "zero or more");
            if (!(lrn.Bias > 0) || double.IsInfinity(lrn.Bias)) Invalid(source.At("Bias"), "Bias", Numbers.Text(lrn.Bias), "a finite number greater than 0");
            if (!(lrn.Alpha >= 0) || double.IsInfinity(lrn.Alpha)) Invalid(source.At("Alpha"), "Alpha", Numbers.Text(lrn.Alpha), "a finite number, zero or more");
            if (!(lrn.Beta >= 0) || double.IsInfinity(lrn.Beta)) Invalid(source.At("Beta"), "Beta", Numbers.Text(lrn.Beta), "a finite number, zero or more");
        }
        if (layer.Window is { } window)
        {
            if (window.KernelHeight < 1 || window.KernelWidth < 1) Invalid(kernelSource, "kernel", window.KernelText, "at least 1");
            if (window.Dilation < 1) Invalid(source.At("Dilation"), "Dilation", Numbers.Text(window.Dilation), "at least 1");
            if (window.PaddingSize < -1) Invalid(source.At("PaddingSize"), "PaddingSize", Numbers.Text(window.PaddingSize), "zero or more");
            if (window.PaddingSize >= 0 && window.Padding != Pad.Symmetric)
                Invalid(source.At("PaddingSize"), "PaddingSize with " + nameof(Pad) + "." + window.Padding, Numbers.Text(window.PaddingSize), "used with Padding = Pad.Symmetric");
        }
        return _diagnostics.Count == before;
    }

    /// <summary>Warnings for layers that are legal but pass their input through unchanged.</summary>
    private void ReportIfItDoesNothing(LayerSpec layer, ClassifiedAttribute attribute, SourceRef kernelSource)
    {
        // With a Parameter the rate can be raised at construction, so a default of 0 is deliberate.
        if (layer.Op == Op.Dropout && layer.Rate == 0 && layer.Parameter is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.DropoutOfZero, attribute.Source.AtPosition(0), layer.Path));
        }
        if (layer.Op is Op.MaxPool2d or Op.AvgPool2d && layer.Window is { KernelHeight: 1, KernelWidth: 1, Stride: 1, Strided: false })
        {
            // On the value for a stack, whose other layers may do something; on the attribute otherwise.
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.PoolOfOneByOne,
                attribute.Role == AttributeRole.Stack ? kernelSource : attribute.Source, layer.Path));
        }
    }

    private void NoteParameter(ClassifiedAttribute attribute, Op op)
    {
        if (OpRules.TakesParameter(op) && AttributeReader.Named(attribute.Data!, "Parameter") is TypedConstant p
            && AttributeReader.String(p) is { } name && IsUsableParameterName(name))
        {
            _noted.Add(new ModelParameter(name, op == Op.Dropout ? ParameterKind.Rate : ParameterKind.Size, 0));
        }
    }

    private static bool IsUsableParameterName(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && !name.StartsWith("@", System.StringComparison.Ordinal)
        && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && name is not ("device" or "dtype");

    private bool CheckParameter(LayerSpec layer, string label, string parameter, SourceRef source)
    {
        if (!IsUsableParameterName(parameter))
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterNotIdentifier, source, parameter, label));
            return false;
        }
        // Convolutions and dense layers share a long-typed parameter; dropout's is a double.
        var kind = layer.Op == Op.Dropout ? ParameterKind.Rate : ParameterKind.Size;
        double value = kind == ParameterKind.Rate ? layer.Rate : layer.Size;
        var existing = _parameters.Select(p => p.Parameter).FirstOrDefault(p => p.Name == parameter);
        if (existing is not null)
        {
            if (existing.Kind != kind || existing.Default != value)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterConflict, source, parameter,
                    Describe(kind, value) + " (first declared as " + Describe(existing.Kind, existing.Default) + ")"));
                return false;
            }
            return true;
        }
        _parameters.Add((new ModelParameter(parameter, kind, value), source));
        return true;

        static string Describe(ParameterKind kind, double value) => (kind == ParameterKind.Rate ? "a rate of " : "a size of ") + Numbers.Text(value);
    }

    /// <summary>A constructor parameter named like a layer field would be assigned instead of the field.</summary>
    private void ReportParametersNamedLikeLayers(List<LayerSpec> layers)
    {
        var fields = new HashSet<string>(layers.Select(layer => layer.Name));
        foreach (var (parameter, source) in _parameters)
        {
            if (fields.Contains(parameter.Name))
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterNamedLikeLayer, source, parameter.Name));
            }
        }
    }

    private bool IsValidName(string name, SourceRef source)
    {
        var problem =
            !SyntaxFacts.IsValidIdentifier(name) || name.StartsWith("@", System.StringComparison.Ordinal) ? DiagnosticDescriptors.ScopeNotIdentifier
            : name == _className ? DiagnosticDescriptors.ScopeNamedLikeClass
            : _reservedNames.Contains(name) ? DiagnosticDescriptors.ScopeNamedLikeMember
            : null;
        if (problem is null) return true;
        _diagnostics.Add(ModelDiagnostic.Create(problem, source, name));
        return false;
    }

    /// <summary>Keys a repeat or stack sets that mean nothing for its op (arg-scope keys, Parameter, a stack's Kernel).</summary>
    private void ReportKeysThatDoNotApply(ClassifiedAttribute attribute, Op op)
    {
        var owner = attribute.Role == AttributeRole.Repeat ? "[Repeat]" : "[Stack]";
        var keys = AttributeReader.Keys(attribute.Data!).GivenKeys().Where(key => !OpRules.Applies(op, key)).ToList();
        if (!OpRules.TakesParameter(op) && AttributeReader.Named(attribute.Data!, "Parameter") is { IsNull: false })
        {
            keys.Add("Parameter");
        }
        // A stack of pools takes its kernels from the values.
        if (op != Op.Conv2d && AttributeReader.Named(attribute.Data!, "Kernel") is not null)
        {
            keys.Add("Kernel");
        }
        foreach (var key in keys)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At(key), owner, key, op));
        }
    }

    private static string? ScopeOf(ClassifiedAttribute attribute) =>
        AttributeReader.Named(attribute.Data!, "Scope") is TypedConstant scope ? AttributeReader.String(scope) : null;

    private static string Values(int count) => count == 1 ? "1 value" : Numbers.Text(count) + " values";
}
