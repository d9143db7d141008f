using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Emit;

/// <summary>
/// Writes the generated half of a model class: fields, constructor, forward, end points, summary and
/// regularization loss. The output is meant to be read (and stepped through) by the user.
/// </summary>
internal sealed class ModelEmitter : ModelFileWriter
{
    private readonly ShapeReport _shapes;
    private readonly IReadOnlyDictionary<string, BlockOutcome> _blocks;

    public ModelEmitter(ModelSpec spec, ShapeReport shapes, IReadOnlyDictionary<string, BlockOutcome> blocks, TextWriter output)
        : base(spec, output)
    {
        _shapes = shapes;
        _blocks = blocks;
    }

    private IEnumerable<(LayerSpec Layer, LayerShape Shape)> Rows => Spec.Layers.Zip(_shapes.Layers, (l, s) => (l, s));

    /// <summary>For <c>CallAndFreeInput</c>, the extension method that <c>forward</c> calls between layers.</summary>
    protected override IReadOnlyList<string> Usings { get; } = new[] { "SlimGen.Layers" };

    protected override void WriteMembers()
    {
        WriteFields();
        Line();
        WriteSummary();
        Line();
        WriteConstructor();
        Line();
        WriteForward();
        Line();
        WriteForwardWithEndpoints();
        Line();
        WriteRegularizationLoss();
    }

    private void WriteFields()
    {
        Line($"private static readonly long[] s_inputShape = {{ {Join(Spec.InputShape)} }};");
        if (_shapes.MinimumInput is { } minimum)
        {
            Line($"private static readonly long[] s_minimumInput = {{ {string.Join(", ", minimum.Select(Numbers.Text))} }};");
            if (HeadsNeedMore)
                Line($"private static readonly long[] s_minimumInputWithHeads = {{ {string.Join(", ", _shapes.MinimumInputWithHeads!.Value.Select(Numbers.Text))} }};");
        }
        Line();
        string? group = null;
        foreach (var layer in Spec.Layers)
        {
            if (layer.Group != group && layer.Group is not null)
            {
                Line($"// {layer.Group}");
            }
            group = layer.Group;
            Line($"private readonly {LayerCode.TypeOf(layer)}{(IsHead(layer) || IsOptionalHead(layer) ? "?" : "")} {Field(layer)};");
        }
        Line();
        Line($"/// <summary>Per-example input shape declared by [SlimModel]: [{Join(Spec.InputShape)}]. Inputs are [N, {Join(Spec.InputShape)}].</summary>");
        if (_shapes.MinimumInput is { } smallest)
        {
            Line($"/// <remarks>The model accepts any height and width from [{string.Join(", ", smallest.Select(Numbers.Text))}] on (VariableSize); the declared size is the summary's example.</remarks>");
        }
        Line($"public static {InputShapeType} InputShape => s_inputShape;");
    }

    private void WriteSummary()
    {
        Line("/// <summary>");
        Line("/// Layer table computed at compile time: output shape, parameters, multiply-accumulates and float32 activation");
        Line("/// bytes per example (with the constructor parameters at their defaults). Print it for a Keras-style summary.");
        Line("/// </summary>");
        Line($"public static {SummaryType} Summary {{ get; }} = new {SummaryType}(");
        Indent++;
        Line($"{ClassNameLiteral},");
        Line($"new long[] {{ {Join(Spec.InputShape)} }},");
        var rows = Rows.Where(row => !row.Layer.IsAuxHead).SelectMany(row => row.Shape.Rows).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var output = string.Join(", ", row.Output.Select(Numbers.Text));
            // The dataflow where it is not a chain: a branch's first layer, a concat, a shortcut, an add.
            var previous = i == 0 ? "" : rows[i - 1].Path;
            var keys = new List<string>();
            if (row.Inputs.Count > 0 && !(row.Inputs.Count == 1 && row.Inputs[0] == previous))
                keys.Add($"Inputs = new[] {{ {string.Join(", ", row.Inputs.Select(input => "\"" + input + "\""))} }}");
            if (row.Activation != Act.None)
                keys.Add($"Activation = global::SlimGen.Act.{row.Activation}");
            if (row.Symbolic is { } symbolic)
                keys.Add($"SymbolicShape = \"{symbolic}\"");
            var initializer = keys.Count == 0 ? "" : " { " + string.Join(", ", keys) + " }";
            var end = i + 1 < rows.Count ? "," : _shapes.MinimumInput is null ? ");" : ")";
            Line($"new global::SlimGen.LayerSummary(\"{row.Path}\", global::SlimGen.Op.{row.Op}, new long[] {{ {output} }}, {Numbers.Text(row.Parameters)}, {Numbers.Text(row.Macs)}, {Numbers.Text(row.OutputBytes)}){initializer}{end}");
        }
        if (_shapes.MinimumInput is not null)
        {
            Line("{");
            Line("    MinimumInputShape = s_minimumInput,");
            Line("};");
        }
        Indent--;
        Line();
        WriteInterfaceSummary();
    }

    private void WriteConstructor()
    {
        Line("/// <summary>Creates the model with freshly initialized weights.</summary>");
        foreach (var parameter in Spec.Parameters)
        {
            Line($"/// <param name=\"{parameter.Name}\">{ParameterDoc(parameter)}</param>");
        }
        Line("/// <param name=\"device\">Device that holds the parameters; the default device when null.</param>");
        Line("/// <param name=\"dtype\">Floating-point type of the parameters; the default dtype when null.</param>");
        WriteConstructorSignature();
        Indent++;
        // TorchSharp's Module constructor is a native call: check the native library first, for a clear error.
        Line($": base(global::SlimGen.SlimRuntime.InitializeFor({ClassNameLiteral}))");
        Indent--;
        Open();
        foreach (var (layer, shape) in Rows)
        {
            var head = IsHead(layer) ? $"{layer.Parameter} == 0 ? null : " : IsOptionalHead(layer) ? $"!{layer.Parameter} ? null : " : "";
            WriteCall($"{Field(layer)} = {head}new {LayerCode.TypeOf(layer)}(", ConstructorArguments(layer, shape), ");");
        }
        Line();
        Line(RegistrationComment());
        foreach (var registration in Registrations())
        {
            Line(registration);
        }
        Line();
        Line("// Record where the layers were built: Module.to skips a move to the device it believes it is on.");
        Line($"global::TorchSharp.ModuleExtensionMethods.to(this, device ?? {Torch}.get_default_device());");
        Close();
        Line();
        Line("/// <summary>Does nothing: the constructor registers the layers under their scoped names.</summary>");
        Line("protected override void RegisterComponents()");
        Open();
        Close();
    }

    /// <summary>Why the layers are registered by hand, with a key of this model: a repeat/stack layer's if it has one.</summary>
    private string RegistrationComment()
    {
        var weighted = Spec.Layers.Where(l => LayerKinds.Of(l.Op) is { HasParameters: true }).ToList();
        var example = weighted.FirstOrDefault(l => l.Group is not null) ?? weighted.FirstOrDefault();
        return example is null
            ? "// Registered explicitly, under the layers' scoped names."
            : $"// Registered explicitly so that state_dict keys follow the scopes: {example.Path.Replace('/', '.')}.weight.";
    }

    /// <summary>Ungrouped layers directly, each repeat/stack group (consecutive by construction) as one scope.</summary>
    private IEnumerable<string> Registrations()
    {
        string? previousGroup = null;
        foreach (var layer in Spec.Layers)
        {
            if (layer.Group is null)
            {
                yield return IsHead(layer) || IsOptionalHead(layer)
                    ? $"if ({Field(layer)} is not null) register_module(\"{layer.Name}\", {Field(layer)});"
                    : $"register_module(\"{layer.Name}\", {Field(layer)});";
            }
            else if (layer.Group != previousGroup)
            {
                var children = string.Join(", ", Spec.Layers.Where(l => l.Group == layer.Group).Select(l => $"(\"{l.Name}\", {Field(l)})"));
                yield return $"register_module(\"{layer.Group}\", new {LayerCode.Layers}.Scope({children}));";
            }
            previousGroup = layer.Group;
        }
    }

    /// <summary>The layer's constructor arguments: its input channels from the shape, its size or the constructor parameter.</summary>
    private IReadOnlyList<string> ConstructorArguments(LayerSpec layer, LayerShape shape)
    {
        var inputs = shape.Input.Count > 0 ? shape.Input[0].Code : "0";
        if (layer.Block is { } block)
        {
            var args = new List<string> { $"inChannels: {inputs}" };
            args.AddRange(block.Arguments.Select((value, i) => $"{BlockParameterName(block, i)}: {Numbers.Text(value)}"));
            if (block.Stride != 1) args.Add($"stride: {block.Stride}");
            args.Add("device: device, dtype: dtype");
            return args;
        }
        return LayerCode.ConstructorArguments(layer, inputs, layer.Parameter ?? Numbers.Text(layer.Size));
    }

    /// <summary>
    /// A head: a layer sized by a constructor parameter after which no layer has weights (the logits), so that 0 for
    /// the parameter can leave it out (<c>numClasses: 0</c> gives the feature extractor). Not the first layer.
    /// </summary>
    private bool IsHead(LayerSpec layer)
    {
        if (layer.Parameter is null || layer.Group is not null || LayerKinds.Of(layer.Op) is not { SizeName: not null }) return false;
        int index = Spec.Layers.AsImmutableArray().IndexOf(layer);
        return index > 0 && Spec.Layers.Skip(index + 1).All(l => LayerKinds.Of(l.Op) is { HasParameters: false });
    }

    private bool BlockDecays(BlockUseSpec use) => BlockEmitter.Decays(_blocks[use.TypeName].Spec!, _blocks);

    private string BlockParameterName(BlockUseSpec use, int index) => _blocks[use.TypeName].Spec!.Parameters[index];

    private static string Field(LayerSpec layer) => LayerCode.Field(layer.Name);

    private string ParameterDoc(ModelParameter parameter)
    {
        var users = Spec.Layers.Where(l => l.Parameter == parameter.Name).ToList();
        if (parameter.Kind == ParameterKind.Switch)
        {
            return $"Builds the auxiliary head {users[0].Path}, whose output is the end point '{users[0].Path}' of ForwardWithEndpoints.";
        }
        var what = parameter.Kind == ParameterKind.Rate ? "Drop probability" : Capitalized(LayerKinds.Of(users[0]).SizeName!);
        var head = users.All(IsHead) ? " 0 leaves the layer out: the model then returns the features before it." : "";
        return $"{what} of {string.Join(", ", users.Select(l => l.Path))}.{head}";
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

    private void WriteForward()
    {
        Line($"/// <summary>Runs the network on a batch shaped {ShapeInference.FormatBatched(Spec.InputShape.Select(d => new Dim(d)))}.</summary>");
        Line($"/// <exception cref=\"global::SlimGen.ShapeMismatchException\">The input does not have that shape.</exception>");
        Line($"/// <exception cref=\"global::System.ArgumentException\">The input's element type or device differs from the model's.</exception>");
        Line($"public override {Tensor} forward({Tensor} input)");
        Open();
        WriteGuard();
        Line($"using var scope = {Torch}.NewDisposeScope();");
        WriteLayerCalls();
        Line("return x.MoveToOuterDisposeScope();");
        Close();
    }

    /// <summary>
    /// The input check: the declared shape, or for a model of variable size its minimum (with the end points, the
    /// larger one its auxiliary heads need when they are built).
    /// </summary>
    private void WriteGuard(bool endpoints = false)
    {
        var minimum = endpoints && HeadsNeedMore
            ? $"{string.Join(" && ", Spec.Layers.Where(IsOptionalHead).Select(l => Field(l) + " is null"))} ? s_minimumInput : s_minimumInputWithHeads"
            : "s_minimumInput";
        Line(_shapes.MinimumInput is null
            ? $"global::SlimGen.ShapeGuard.CheckInput(input, s_inputShape, {ClassNameLiteral}{GuardParameter()});"
            : $"global::SlimGen.ShapeGuard.CheckVariableSizeInput(input, {minimum}, {ClassNameLiteral}{GuardParameter()});");
    }

    private bool HeadsNeedMore => _shapes.MinimumInputWithHeads is { } withHeads && !withHeads.Equals(_shapes.MinimumInput);

    /// <summary>
    /// The first weighted layer's weights, whose element type and device the input must share (the guard's last
    /// argument); nothing for a model without weights.
    /// </summary>
    private string GuardParameter() =>
        Spec.Layers.FirstOrDefault(l => l.Weights is not null && !IsHead(l)) is { } weighted ? $", {Field(weighted)}.weight" : "";


    private void WriteForwardWithEndpoints()
    {
        Line("/// <summary>");
        Line("/// Runs the network and also returns every layer's activation by TF-Slim name (TF-Slim's end_points),");
        Line("/// for feature extraction and debugging.");
        Line("/// </summary>");
        Line($"/// <exception cref=\"global::SlimGen.ShapeMismatchException\">The input does not have the declared shape.</exception>");
        Line($"public {ForwardWithEndpointsResult} ForwardWithEndpoints({Tensor} input)");
        Open();
        WriteGuard(endpoints: true);
        Line($"using var scope = {Torch}.NewDisposeScope();");
        Line($"var endpoints = new global::System.Collections.Generic.Dictionary<string, {Tensor}>({Spec.Layers.Count});");
        WriteLayerCallsWithEndpoints();
        Line("scope.MoveToOuter(endpoints.Values);");
        Line("return (x, endpoints);");
        Close();
    }

    /// <summary>
    /// One statement per layer of the main line: each activation is freed as soon as the next layer has run
    /// (CallAndFreeInput), so inference holds two activations at a time, not all of them.
    /// </summary>
    private void WriteLayerCalls()
    {
        var rows = Rows.Where(row => !row.Layer.IsAuxHead).ToList();
        var statements = rows.Select((row, i) =>
                i == 0 ? $"var x = {Field(row.Layer)}.call(input);" : $"x = {Field(row.Layer)}.CallAndFreeInput(x);")
            .Select((statement, i) => IsHead(rows[i].Layer) ? $"if ({Field(rows[i].Layer)} is not null) {statement}" : statement)
            .ToList();
        int width = statements.Max(s => s.Length) + 1;
        for (int i = 0; i < rows.Count; i++)
        {
            Line($"{statements[i].PadRight(width)}// {ShapeInference.FormatBatched(rows[i].Shape.Output)}");
        }
    }

    /// <summary>Every layer's output as an end point; an auxiliary head reads the output before it, which the network goes on from.</summary>
    private void WriteLayerCallsWithEndpoints()
    {
        var rows = Rows.ToList();
        bool first = true;
        var statements = rows.Select(row =>
            {
                var field = Field(row.Layer);
                if (row.Layer.IsAuxHead)
                {
                    var add = $"endpoints.Add(\"{row.Layer.Path}\", {field}.call(x));";
                    return IsOptionalHead(row.Layer) ? $"if ({field} is not null) {add}" : add;
                }
                var call = first ? $"var x = {field}.call(input);" : $"x = {field}.call(x);";
                first = false;
                return IsHead(row.Layer) ? $"if ({field} is not null) {call}" : call;
            })
            .ToList();
        int width = statements.Max(s => s.Length) + 1;
        for (int i = 0; i < rows.Count; i++)
        {
            Line($"{statements[i].PadRight(width)}// {ShapeInference.FormatBatched(rows[i].Shape.Output)}");
            if (!rows[i].Layer.IsAuxHead)
            {
                var add = $"endpoints.Add(\"{rows[i].Layer.Path}\", x);";
                Line(IsHead(rows[i].Layer) ? $"if ({Field(rows[i].Layer)} is not null) {add}" : add);
            }
        }
    }

    /// <summary>An auxiliary head that a constructor switch builds.</summary>
    private static bool IsOptionalHead(LayerSpec layer) => layer.IsAuxHead && layer.Parameter is not null;

    private void WriteRegularizationLoss()
    {
        var decayed = Spec.Layers.Where(l => l.Weights is { WeightDecay: > 0 } || l.Block is not null && BlockDecays(l.Block)).ToList();
        Line("/// <summary>");
        Line("/// TF-Slim's regularization loss: the sum of <c>decay * sum(w^2) / 2</c> over the weights of the layers");
        Line("/// with a WeightDecay. Add it to the training loss.");
        Line("/// </summary>");
        Line($"public {Tensor} RegularizationLoss()");
        Open();
        if (decayed.Count == 0)
        {
            Line("// No layer declares a WeightDecay.");
            Line($"return {Torch}.tensor(0f);");
        }
        else
        {
            Line($"using var scope = {Torch}.NewDisposeScope();");
            for (int i = 0; i < decayed.Count; i++)
            {
                var term = decayed[i].Block is not null
                    ? $"{Field(decayed[i])}.RegularizationLoss()"
                    : $"global::SlimGen.Regularizers.L2({Field(decayed[i])}.weight, {Numbers.DoubleLiteral(decayed[i].Weights!.WeightDecay)})";
                if (IsHead(decayed[i]) || IsOptionalHead(decayed[i])) term = $"({Field(decayed[i])} is null ? {Torch}.tensor(0f) : {term.Replace(Field(decayed[i]) + ".", Field(decayed[i]) + "!.")})";
                Line(i == 0 ? $"var loss = {term};" : $"loss = loss + {term};");
            }
            Line("return loss.MoveToOuterDisposeScope();");
        }
        Close();
    }
}
