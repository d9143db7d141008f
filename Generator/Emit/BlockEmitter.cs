using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Emit;

/// <summary>
/// Writes the generated half of a block class: a module whose constructor takes the input channels, the block's
/// parameters and its stride, and whose forward reads like the block's attributes, branch by branch, with the
/// shapes as comments in terms of the parameters.
/// </summary>
internal sealed class BlockEmitter : ClassFileWriter
{
    private readonly BlockSpec _block;
    private readonly IReadOnlyDictionary<string, BlockOutcome> _blocks;
    private readonly bool _takesStride;

    private BlockEmitter(BlockSpec block, IReadOnlyDictionary<string, BlockOutcome> blocks, TextWriter output)
        : base(block.Namespace, block.ContainingTypes, block.ClassName, block.DeclaresBaseType, output)
    {
        _block = block;
        _blocks = blocks;
        _takesStride = BlockInstance.TakesStride(block);
    }

    public static string HintName(BlockSpec block) => HintName(block.Namespace, block.ContainingTypes, block.ClassName);

    public static string Emit(BlockSpec block, IReadOnlyDictionary<string, BlockOutcome> blocks)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new BlockEmitter(block, blocks, output).WriteFile();
        return output.ToString();
    }

    /// <summary>Whether the block, or a block in it, has a layer with a weight decay.</summary>
    public static bool Decays(BlockSpec block, IReadOnlyDictionary<string, BlockOutcome> blocks) =>
        AllLayers(block).Any(l => l.Weights is { WeightDecay: > 0 }
            || l.Block is { } use && blocks.TryGetValue(use.TypeName, out var inner) && inner.Spec is { } spec && Decays(spec, blocks))
        || block.Residual is { Projection.Weights.WeightDecay: > 0 };

    protected override IReadOnlyList<string> Usings { get; } = new[] { "SlimGen.Layers" };

    /// <summary>The layers of the body, those in branches too, each with its field name.</summary>
    private IEnumerable<(LayerSpec Layer, string Field, string? Branch)> Fields =>
        _block.Body.SelectMany(layer => layer.Branches is { } branches
            ? branches.SelectMany(b => b.Layers.Select(l => (l, LayerCode.Field(b.Name + "_" + l.Name), (string?)b.Name)))
            : new[] { (layer, LayerCode.Field(layer.Name), (string?)null) });

    private static IEnumerable<LayerSpec> AllLayers(BlockSpec block) =>
        block.Body.SelectMany(layer => layer.Branches is { } branches ? branches.SelectMany(b => b.Layers) : new[] { layer });

    private string Stride => _takesStride ? "stride" : "1";

    protected override void WriteMembers()
    {
        foreach (var (layer, field, _) in Fields)
        {
            if (layer.Op != Op.Concat) Line($"private readonly {LayerCode.TypeOf(layer)} {field};");
        }
        if (_block.Residual is { } residual)
        {
            if (residual.Shortcut is Shortcut.Projection or Shortcut.Subsample)
                Line($"private readonly {LayerCode.Layers}.Conv2d? shortcut;");
            if (residual.Shortcut == Shortcut.WhereShapesMatch)
                Line("private readonly bool adds;");
        }
        if (_takesStride && _block.Residual is { Shortcut: Shortcut.Subsample })
            Line($"private readonly {LayerCode.Layers}.MaxPool2d? subsample;");
        Line();
        WriteConstructor();
        Line();
        WriteForward();
        Line();
        WriteRegularizationLoss();
    }

    private void WriteConstructor()
    {
        Line($"/// <summary>Creates the block with freshly initialized weights.</summary>");
        Line("/// <param name=\"inChannels\">Channels of the block's input.</param>");
        foreach (var parameter in _block.Parameters)
            Line($"/// <param name=\"{parameter}\">The block's '{parameter}'.</param>");
        if (_takesStride)
            Line("/// <param name=\"stride\">The stride of the layers marked Strided.</param>");
        Line("/// <param name=\"device\">Device that holds the parameters; the default device when null.</param>");
        Line("/// <param name=\"dtype\">Floating-point type of the parameters; the default dtype when null.</param>");
        var signature = new List<string> { "long inChannels" };
        signature.AddRange(_block.Parameters.Select(p => "long " + p));
        if (_takesStride) signature.Add("int stride = 1");
        signature.Add($"{Torch}.Device? device = null");
        signature.Add($"{Torch}.ScalarType? dtype = null");
        WriteCall($"public {ClassName}(", signature, ")");
        Indent++;
        Line($": base(global::SlimGen.SlimRuntime.InitializeFor({ClassNameLiteral}))");
        Indent--;
        Open();
        string channels = "inChannels";
        foreach (var layer in _block.Body)
        {
            if (layer.Branches is { } branches)
            {
                var outputs = new List<string>();
                foreach (var branch in branches)
                {
                    var branchChannels = channels;
                    foreach (var inner in branch.Layers)
                        branchChannels = WriteLayerConstruction(inner, LayerCode.Field(branch.Name + "_" + inner.Name), branchChannels);
                    outputs.Add(branchChannels);
                }
                channels = Sum(outputs);
            }
            else
            {
                channels = WriteLayerConstruction(layer, LayerCode.Field(layer.Name), channels);
            }
        }
        if (_block.Residual is { } residual)
        {
            var changes = _takesStride ? $"stride != 1 || inChannels != {channels}" : $"inChannels != {channels}";
            switch (residual.Shortcut)
            {
                case Shortcut.Projection:
                case Shortcut.Subsample:
                    var condition = residual.Shortcut == Shortcut.Projection ? changes : $"inChannels != {channels}";
                    Line($"// A projection where {(residual.Shortcut == Shortcut.Projection ? "the stride or the channels change" : "the channels change")}; the identity elsewhere.");
                    Line($"if ({condition})");
                    Open();
                    WriteCall($"shortcut = new {LayerCode.Layers}.Conv2d(",
                        LayerCode.ConstructorArguments(residual.Projection, "inChannels", channels, Stride), ");");
                    Close();
                    if (_takesStride && residual.Shortcut == Shortcut.Subsample)
                    {
                        Line("// TF-Slim's subsampling where only the stride changes the shape.");
                        Line($"else if (stride != 1) subsample = new {LayerCode.Layers}.MaxPool2d(kernelSize: 1, stride: stride, padding: global::SlimGen.Pad.Valid);");
                    }
                    break;
                case Shortcut.WhereShapesMatch:
                    Line("// The residual add only where the input's shape is the output's.");
                    Line($"adds = !({changes});");
                    break;
            }
        }
        Line();
        Line("// Registered explicitly so that state_dict keys follow the scopes.");
        foreach (var registration in Registrations())
            Line(registration);
        if (_block.Residual is { Shortcut: Shortcut.Projection or Shortcut.Subsample })
            Line("if (shortcut is not null) register_module(\"shortcut\", shortcut);");
        if (_takesStride && _block.Residual is { Shortcut: Shortcut.Subsample })
            Line("if (subsample is not null) register_module(\"subsample\", subsample);");
        Close();
        Line();
        Line("/// <summary>Does nothing: the constructor registers the layers under their scoped names.</summary>");
        Line("protected override void RegisterComponents()");
        Open();
        Close();
    }

    /// <summary>Writes the layer's construction; returns C# for its output channels.</summary>
    private string WriteLayerConstruction(LayerSpec layer, string field, string channels)
    {
        var size = layer.SizeExpression?.Code ?? Numbers.Text(layer.Size);
        if (layer.Block is { } use)
        {
            var inner = _blocks[use.TypeName].Spec!;
            var args = new List<string> { $"inChannels: {channels}" };
            args.AddRange(use.Arguments.Select((value, i) => $"{inner.Parameters[i]}: {Numbers.Text(value)}"));
            if (use.Stride != 1) args.Add($"stride: {use.Stride}");
            args.Add("device: device, dtype: dtype");
            WriteCall($"{field} = new {use.TypeName}(", args, ");");
            return OutputChannels(inner, channels, use.Arguments);
        }
        WriteCall($"{field} = new {LayerCode.TypeOf(layer)}(", LayerCode.ConstructorArguments(layer, channels, size, Stride), ");");
        return NextChannels(layer, channels, size);
    }

    /// <summary>C# for a layer's output channels from its input's.</summary>
    private static string NextChannels(LayerSpec layer, string channels, string size) => LayerKinds.Of(layer).Channels(layer) switch
    {
        { Kind: ChannelRule.Kinds.Size } => size,
        { Kind: ChannelRule.Kinds.Multiple, Multiplier: var multiplier } => Parenthesize(channels) + " * " + Numbers.Text(multiplier),
        _ => channels,
    };

    /// <summary>C# for the output channels of a nested block used with constant arguments.</summary>
    private string OutputChannels(BlockSpec block, string input, EquatableArray<int> arguments)
    {
        string Name(string name) => name == Expression.InputChannels ? input : Numbers.Text(arguments[block.Parameters.AsImmutableArray().IndexOf(name)]);
        string channels = input;
        foreach (var layer in block.Body)
        {
            if (layer.Branches is { } branches)
            {
                channels = Sum(branches.Select(b => b.Layers.Aggregate(channels, (c, l) => Next(l, c))));
            }
            else
            {
                channels = Next(layer, channels);
            }
        }
        return channels;

        string Next(LayerSpec layer, string current) => layer.Block is { } use
            ? OutputChannels(_blocks[use.TypeName].Spec!, current, use.Arguments)
            : NextChannels(layer, current, layer.SizeExpression?.Render(Name) ?? Numbers.Text(layer.Size));
    }

    private static string Sum(IEnumerable<string> terms) => "(" + string.Join(" + ", terms) + ")";

    private static string Parenthesize(string code) => code.IndexOf(' ') >= 0 && !code.StartsWith("(") ? "(" + code + ")" : code;

    /// <summary>Trunk layers and repeat groups directly, each branch as a scope of its layers.</summary>
    private IEnumerable<string> Registrations()
    {
        string? previousGroup = null;
        foreach (var layer in _block.Body)
        {
            if (layer.Branches is { } branches)
            {
                foreach (var branch in branches.Where(b => b.Layers.Count > 0))
                {
                    var children = string.Join(", ", branch.Layers.Select(l => $"(\"{l.Name}\", {LayerCode.Field(branch.Name + "_" + l.Name)})"));
                    yield return $"register_module(\"{branch.Name}\", new {LayerCode.Layers}.Scope({children}));";
                }
            }
            else if (layer.Group is null)
            {
                yield return $"register_module(\"{layer.Name}\", {LayerCode.Field(layer.Name)});";
            }
            else if (layer.Group != previousGroup)
            {
                var children = string.Join(", ", _block.Body.Where(l => l.Group == layer.Group).Select(l => $"(\"{l.Name}\", {LayerCode.Field(l.Name)})"));
                yield return $"register_module(\"{layer.Group}\", new {LayerCode.Layers}.Scope({children}));";
            }
            previousGroup = layer.Group;
        }
    }

    private void WriteForward()
    {
        Line("/// <summary>Runs the block on a batch [N, inChannels, H, W].</summary>");
        Line($"public override {Tensor} forward({Tensor} input)");
        Open();
        Line($"using var scope = {Torch}.NewDisposeScope();");
        Line("var x = input;");
        var shape = new CommentShape("inChannels", "H", "W");
        // x is the caller's input until the first layer runs, and is kept for a projection after a pre-activation.
        bool ownsX = false;
        for (int i = 0; i < _block.Body.Count; i++)
        {
            var layer = _block.Body[i];
            if (layer.Branches is { } branches)
            {
                var outputs = new List<(string Variable, CommentShape Shape)>();
                foreach (var branch in branches)
                {
                    // Branch scopes are names of the block, which no field or other local takes.
                    var variable = LayerCode.Field(branch.Name);
                    var branchShape = shape;
                    Line($"// {branch.Name}");
                    if (branch.Layers.Count == 0)
                    {
                        Line($"var {variable} = x;");
                    }
                    for (int j = 0; j < branch.Layers.Count; j++)
                    {
                        var inner = branch.Layers[j];
                        branchShape = branchShape.After(inner, this);
                        var field = LayerCode.Field(branch.Name + "_" + inner.Name);
                        Statement(j == 0 ? $"var {variable} = {field}.call(x);" : $"{variable} = {field}.CallAndFreeInput({variable});", branchShape);
                    }
                    outputs.Add((variable, branchShape));
                }
                shape = new CommentShape(Sum(outputs.Select(o => o.Shape.Channels)), outputs[0].Shape.Height, outputs[0].Shape.Width);
                Statement($"x = {Torch}.cat(new[] {{ {string.Join(", ", outputs.Select(o => o.Variable))} }}, 1);", shape);
                ownsX = true;
                continue;
            }
            shape = shape.After(layer, this);
            var call = ownsX ? $"x = {LayerCode.Field(layer.Name)}.CallAndFreeInput(x);" : $"x = {LayerCode.Field(layer.Name)}.call(x);";
            Statement(call, shape);
            ownsX = true;
            if (i == 0 && _block.Residual is { Preactivation: true })
            {
                Line("var preactivated = x;");
                ownsX = false;
            }
        }
        if (_block.Residual is { } residual)
        {
            var projected = residual.Preactivation ? "preactivated" : "input";
            var identity = "identity";
            switch (residual.Shortcut)
            {
                case Shortcut.Identity:
                case Shortcut.WhereShapesMatch:
                    identity = "input";
                    break;
                case Shortcut.Projection:
                    Line($"var identity = shortcut is null ? input : shortcut.call({projected});");
                    break;
                case Shortcut.Subsample when _takesStride:
                    Line($"var identity = shortcut is not null ? shortcut.call({projected}) : subsample is not null ? subsample.call(input) : input;");
                    break;
                case Shortcut.Subsample:
                    Line($"var identity = shortcut is null ? input : shortcut.call({projected});");
                    break;
            }
            // In place, as torchvision adds, where the body's output is the block's own and unsaved by autograd.
            var activation = $"global::SlimGen.Act.{residual.Activation}";
            var sum = AddsInPlace
                ? $"x.AddAndActivate({identity}, {activation})"
                : residual.Activation == Act.None ? $"x + {identity}" : $"global::SlimGen.Activations.Apply(x + {identity}, {activation})";
            Statement(residual.Shortcut == Shortcut.WhereShapesMatch ? $"x = adds ? {sum} : x;" : $"x = {sum};", shape);
        }
        Line("return x.MoveToOuterDisposeScope();");
        Close();
    }

    /// <summary>
    /// Whether the body's output may take the add in place: it is a fresh tensor that no op saved for backward (a
    /// convolution, dense layer or batch norm without an activation, or a concat), and not the block's input.
    /// </summary>
    private bool AddsInPlace => _block.Body.Count > 0 && _block.Body[_block.Body.Count - 1] is var last
        && (last.Op == Op.Concat || LayerKinds.Of(last.Op) is { HasParameters: true } kind && kind.Activation(last) == Act.None);

    private void Statement(string statement, CommentShape shape) => Line($"{statement,-60} // {shape}");

    private void WriteRegularizationLoss()
    {
        Line("/// <summary>The block's part of the model's regularization loss (TF-Slim's <c>decay * sum(w^2) / 2</c>).</summary>");
        Line($"public {Tensor} RegularizationLoss()");
        Open();
        var terms = new List<string>();
        foreach (var (layer, field, _) in Fields)
        {
            if (layer.Weights is { WeightDecay: > 0 } weights)
                terms.Add($"global::SlimGen.Regularizers.L2({field}.weight, {Numbers.DoubleLiteral(weights.WeightDecay)})");
            else if (layer.Block is { } use && Decays(_blocks[use.TypeName].Spec!, _blocks))
                terms.Add($"{field}.RegularizationLoss()");
        }
        if (_block.Residual is { Shortcut: Shortcut.Projection or Shortcut.Subsample, Projection.Weights.WeightDecay: > 0 } residual)
        {
            Line($"var loss = {Torch}.tensor(0f);");
            foreach (var term in terms) Line($"loss = loss + {term};");
            Line($"return shortcut is null ? loss : loss + global::SlimGen.Regularizers.L2(shortcut.weight, {Numbers.DoubleLiteral(residual.Projection.Weights!.WeightDecay)});");
        }
        else if (terms.Count == 0)
        {
            Line("// No layer declares a WeightDecay.");
            Line($"return {Torch}.tensor(0f);");
        }
        else
        {
            Line($"return {string.Join(" + ", terms)};");
        }
        Close();
    }

    /// <summary>A shape for a comment, in terms of the block's names: <c>[N, depth * 4, H/stride, W/stride]</c>.</summary>
    private readonly record struct CommentShape(string Channels, string Height, string Width)
    {
        public CommentShape After(LayerSpec layer, BlockEmitter emitter)
        {
            if (layer.Block is { } use)
            {
                return new CommentShape(emitter.OutputChannels(emitter._blocks[use.TypeName].Spec!, Channels, use.Arguments), Height, Width);
            }
            var (height, width) = LayerKinds.Of(layer).CommentSpatial(layer, Height, Width);
            return new CommentShape(NextChannels(layer, Channels, layer.SizeExpression?.Code ?? Numbers.Text(layer.Size)), height, width);
        }

        public override string ToString() => $"[N, {Channels}, {Height}, {Width}]";
    }
}
