using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Layers;
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
            if (scope is null || !IsValidName(scope, attribute.Source.At(nameof(LayerAttribute.Scope)))) continue;

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
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.DuplicateScope, attribute.Source.At(nameof(LayerAttribute.Scope)), scope, reason, free) with { Suggestion = free });
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
            bool auxHead = attribute.Data.AttributeClass?.Name == nameof(AuxHeadAttribute);
            var name = ScopeOf(attribute) ?? ReserveDefault(auxHead ? "aux_head" : "block", leaves: 0);
            var stride = AttributeReader.Named(attribute.Data, nameof(BlockAttribute.Stride)) is TypedConstant s ? AttributeReader.Int(s) ?? 1 : 1;
            var parameter = auxHead && AttributeReader.Named(attribute.Data, nameof(WeightedLayerAttribute.Parameter)) is TypedConstant p ? AttributeReader.String(p) : null;
            if (parameter is not null && !IsUsableParameterName(parameter))
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterNotIdentifier, attribute.Source.At(nameof(WeightedLayerAttribute.Parameter)), parameter, "'" + name + "'"));
                return;
            }
            if (parameter is not null && !_parameters.Any(existing => existing.Parameter.Name == parameter))
            {
                _parameters.Add((new ModelParameter(parameter, ParameterKind.Switch, 0), attribute.Source.At(nameof(WeightedLayerAttribute.Parameter))));
            }
            if (auxHead && _blockParameters is not null)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ModelConstructInBlock, attribute.Source, "[AuxHead]",
                    "put the head on the model that uses the block, after the block's use"));
                return;
            }
            if (BlockUse(attribute, args[0], args[1], stride) is { } block)
            {
                layers.Add(new LayerSpec(attribute.Source, op, Group: null, name) { Block = block, IsAuxHead = auxHead, Parameter = parameter });
            }
            return;
        }

        var kind = LayerKinds.Of(op)!;
        var values = kind.FromAttribute(args, attribute.Source);
        Expression? sizeExpression = null;
        if (values.SizeText is { } text)
        {
            sizeExpression = ReadExpression(text, values.SizeSource);
            if (sizeExpression is null) return;
        }

        var layerName = ScopeOf(attribute) ?? ReserveDefault(kind.DefaultName, leaves: 0);
        var layer = Build(attribute, kind, group: null, layerName, values, sizeExpression);
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
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, attribute.Source.At(nameof(BlockAttribute.Stride)),
                "'" + block.Name + "'", nameof(BlockAttribute.Stride), Numbers.Text(stride), "at least 1"));
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
        var kind = LayerKinds.Of(op);
        var expected = kind?.RepeatArguments;
        if (kind is null || expected is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.RepeatOfNonIntegerOp, attribute.Source, op));
            return;
        }
        if (expected.Count != values.Length)
        {
            var form = string.Concat(expected.Select(name => ", " + name));
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.RepeatArgumentCount, attribute.Source, op,
                Values(expected.Count), expected.Count == 0 ? "none" : string.Join(", ", expected), values.Length, form));
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
        var first = Build(attribute, kind, group, Numbered(group, 1), kind.FromRepeat(values, attribute.Source));
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
        foreach (var key in AttributeReader.Keys(data).GivenKeys().Where(key => key != nameof(BlockAttribute.Stride))
            .Concat(new[] { nameof(WeightedLayerAttribute.Parameter), nameof(StackAttribute.Kernel) }.Where(key => AttributeReader.Named(data, key) is { IsNull: false })))
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At(key), "[Repeat]", key, Op.Block));
        }
        var stride = AttributeReader.Named(data, nameof(BlockAttribute.Stride)) is TypedConstant s ? AttributeReader.Int(s) ?? 1 : 1;
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
        var kind = LayerKinds.Of(op);
        if (kind is not { Stackable: true })
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
        int? kernelKey = AttributeReader.Named(data, nameof(StackAttribute.Kernel)) is TypedConstant k ? AttributeReader.Int(k) : null;
        if (kind.StackTakesKernel && kernelKey is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.StackWithoutKernel, attribute.Source, op));
            return;
        }
        ReportKeysThatDoNotApply(attribute, op);

        var group = ScopeOf(attribute) ?? ReserveDefault("stack", values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            var layer = Build(attribute, kind, group, Numbered(group, i + 1),
                kind.FromStack(values[i], kernelKey, attribute.Source.AtPosition(1 + i), attribute.Source.At(nameof(StackAttribute.Kernel))));
            if (layer is null) return;
            layers.Add(layer);
        }
    }

    private LayerSpec? Build(ClassifiedAttribute attribute, LayerKind kind, string? group, string name, LayerValues values, Expression? sizeExpression = null)
    {
        var data = attribute.Data!;
        var explicitArgs = AttributeReader.Keys(data);
        var args = _scopes.Resolve(kind.Op, explicitArgs);
        // Repeat and Stack carry Parameter for every op; ReportKeysThatDoNotApply warns where it means nothing.
        var parameter = kind.TakesParameter && AttributeReader.Named(data, nameof(WeightedLayerAttribute.Parameter)) is TypedConstant p ? AttributeReader.String(p) : null;
        if (parameter is not null && _blockParameters is not null)
        {
            // A block's sizes come from its own parameters; constructor parameters are the model's.
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At(nameof(WeightedLayerAttribute.Parameter)), "A layer of a block", nameof(WeightedLayerAttribute.Parameter), kind.Op));
            parameter = null;
        }

        var bare = new LayerSpec(attribute.Source, kind.Op, group, name) { SizeExpression = sizeExpression, Parameter = parameter };
        var layer = kind.Build(bare, values, args, data, _scopes);
        var label = "'" + layer.Path + "'";
        // A stack's window warning goes on its value, whose other layers may do something; on the attribute otherwise.
        var check = new NumberCheck(label, attribute.Source, values,
            attribute.Role == AttributeRole.Stack ? values.KernelSource : attribute.Source, _diagnostics);
        bool valid = CheckNumbers(layer, kind, check, explicitArgs);
        if (AttributeReader.Named(data, nameof(Conv2dAttribute.Strided)) is { Value: true } && _blockParameters is null)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.BlockConstructOutsideBlock, attribute.Source.At(nameof(Conv2dAttribute.Strided)),
                "Strided = true", "set Stride instead"));
            valid = false;
        }
        if (parameter is not null)
        {
            valid &= CheckParameter(layer, kind, label, parameter, attribute.Source.At(nameof(WeightedLayerAttribute.Parameter)));
        }
        kind.Warn(layer, check);
        return valid ? layer : null;
    }

    /// <summary>The checks of every layer (its arg-scope keys' values), then its kind's; true when none failed.</summary>
    private bool CheckNumbers(LayerSpec layer, LayerKind kind, NumberCheck check, LayerArgs explicitArgs)
    {
        int before = _diagnostics.Count;
        // Values from arg scopes were checked (and left out when invalid) where the scopes are written.
        foreach (var invalid in ArgScopeReader.InvalidValues(explicitArgs).Where(invalid => kind.Reads(invalid.Key)))
        {
            _diagnostics.Add(invalid.Report(check.Label, check.Source.At(invalid.Key)));
        }
        kind.Check(layer, check);
        return _diagnostics.Count == before;
    }

    private void NoteParameter(ClassifiedAttribute attribute, Op op)
    {
        if (LayerKinds.Of(op) is { TakesParameter: true } kind && AttributeReader.Named(attribute.Data!, nameof(WeightedLayerAttribute.Parameter)) is TypedConstant p
            && AttributeReader.String(p) is { } name && IsUsableParameterName(name))
        {
            _noted.Add(new ModelParameter(name, kind.ParameterKind, 0));
        }
    }

    private static bool IsUsableParameterName(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && !name.StartsWith("@", System.StringComparison.Ordinal)
        && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && name is not ("device" or "dtype");

    private bool CheckParameter(LayerSpec layer, LayerKind kind, string label, string parameter, SourceRef source)
    {
        if (!IsUsableParameterName(parameter))
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterNotIdentifier, source, parameter, label));
            return false;
        }
        // Convolutions and dense layers share a long-typed parameter; dropout's is a double.
        var parameterKind = kind.ParameterKind;
        double value = parameterKind == ParameterKind.Rate ? layer.Rate : layer.Size;
        var existing = _parameters.Select(p => p.Parameter).FirstOrDefault(p => p.Name == parameter);
        if (existing is not null)
        {
            if (existing.Kind != parameterKind || existing.Default != value)
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterConflict, source, parameter,
                    Describe(parameterKind, value) + " (first declared as " + Describe(existing.Kind, existing.Default) + ")"));
                return false;
            }
            return true;
        }
        _parameters.Add((new ModelParameter(parameter, parameterKind, value), source));
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
        var kind = LayerKinds.Of(op)!;
        var keys = AttributeReader.Keys(attribute.Data!).GivenKeys().Where(key => !kind.Reads(key)).ToList();
        if (!kind.TakesParameter && AttributeReader.Named(attribute.Data!, nameof(WeightedLayerAttribute.Parameter)) is { IsNull: false })
        {
            keys.Add(nameof(WeightedLayerAttribute.Parameter));
        }
        // A stack of pools takes its kernels from the values.
        if (!kind.StackTakesKernel && AttributeReader.Named(attribute.Data!, nameof(StackAttribute.Kernel)) is not null)
        {
            keys.Add(nameof(StackAttribute.Kernel));
        }
        foreach (var key in keys)
        {
            _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, attribute.Source.At(key), owner, key, op));
        }
    }

    private static string? ScopeOf(ClassifiedAttribute attribute) =>
        AttributeReader.Named(attribute.Data!, nameof(LayerAttribute.Scope)) is TypedConstant scope ? AttributeReader.String(scope) : null;

    private static string Values(int count) => count == 1 ? "1 value" : Numbers.Text(count) + " values";
}
