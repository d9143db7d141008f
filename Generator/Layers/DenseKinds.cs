using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Layers;

/// <summary><c>[FullyConnected(units)]</c>: a dense layer on a flat input.</summary>
internal sealed class FullyConnectedKind : LayerKind
{
    private static readonly string[] Repeated = { "units" };

    public FullyConnectedKind() : base(Op.FullyConnected, nameof(FullyConnectedAttribute), "fully_connected") { }

    public override IReadOnlyList<string> ScopeKeys => WeightedLayer.Keys;

    public override string? SizeName => "units";

    public override bool HasParameters => true;

    public override Act Activation(LayerSpec layer) => layer.Weights!.Activation;

    public override bool HasArity(int count) => count == 1;

    public override IReadOnlyList<string>? RepeatArguments => Repeated;

    public override bool Stackable => true;

    public override bool TakesParameter => true;

    public override LayerValues FromAttribute(ImmutableArray<TypedConstant> arguments, SourceRef source) =>
        new(source.AtPosition(0), source.AtPosition(0)) { Size = AttributeReader.Int(arguments[0]) ?? 0, SizeText = AttributeReader.String(arguments[0]) };

    public override LayerValues FromRepeat(ImmutableArray<int> values, SourceRef source) => new(source.AtPosition(2), source.AtPosition(2)) { Size = values[0] };

    public override LayerValues FromStack(int value, int? kernel, SourceRef valueSource, SourceRef kernelSource) => new(valueSource, kernelSource) { Size = value };

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) =>
        layer with { Size = values.Size, Weights = WeightedLayer.Weights(args, scopes) };

    public override void Check(LayerSpec layer, NumberCheck check) => WeightedLayer.CheckSize(layer, this, check);

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step)
    {
        var input = step.Input;
        if (input.Count != 1)
        {
            return step.Fail(DiagnosticDescriptors.DenseNeedsFlatten, step.Path, ShapeInference.Format(input), input.Count);
        }
        var units = new Dim(layer.Size, layer.Parameter);
        if (!Checked.Multiply(input[0].Value, units.Value, out var weights)
            || !Checked.Add(weights, WeightedLayer.ExtraParameters(layer.Weights!, units.Value), out var parameters))
        {
            return step.Overflow("parameter count");
        }
        return step.Output(new[] { units }, parameters, weights);
    }

    public override ChannelRule Channels(LayerSpec layer) => ChannelRule.Size;

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments)
    {
        arguments.Add("inFeatures", arguments.Inputs);
        arguments.Add("outFeatures", arguments.Size);
        WeightedLayer.WriteArguments(layer.Weights!, arguments);
    }
}

/// <summary><c>[Dropout(rate)]</c>: drops values with that probability while training.</summary>
internal sealed class DropoutKind : LayerKind
{
    public DropoutKind() : base(Op.Dropout, nameof(DropoutAttribute), "dropout") { }

    public override bool HasArity(int count) => count == 1;

    public override bool TakesParameter => true;

    public override ParameterKind ParameterKind => ParameterKind.Rate;

    public override LayerValues FromAttribute(ImmutableArray<TypedConstant> arguments, SourceRef source) =>
        new(source.AtPosition(0), source.AtPosition(0)) { Rate = AttributeReader.Double(arguments[0]) ?? 0 };

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) => layer with { Rate = values.Rate };

    public override void Check(LayerSpec layer, NumberCheck check)
    {
        if (!(layer.Rate >= 0 && layer.Rate < 1)) check.Report(DiagnosticDescriptors.InvalidDropoutRate, check.Values.SizeSource, check.Label, layer.Rate);
    }

    public override void Warn(LayerSpec layer, NumberCheck check)
    {
        // With a Parameter the rate can be raised at construction, so a default of 0 is deliberate.
        if (layer.Rate == 0 && layer.Parameter is null) check.Report(DiagnosticDescriptors.DropoutOfZero, check.Values.SizeSource, layer.Path);
    }

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step) => step.Output(step.Input);

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments) =>
        arguments.Add("rate", layer.Parameter ?? Numbers.DoubleLiteral(layer.Rate));
}

/// <summary><c>[Flatten]</c>: every dimension but the batch in one, as a view of the input.</summary>
internal sealed class FlattenKind : LayerKind
{
    public FlattenKind() : base(Op.Flatten, nameof(FlattenAttribute), "flatten") { }

    public override bool HasArity(int count) => count == 0;

    public override IReadOnlyList<string>? RepeatArguments => System.Array.Empty<string>();

    public override bool AllocatesOutput => false;

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step)
    {
        var input = step.Input;
        if (input.Any(d => d.Form is not null))
        {
            return step.Fail(DiagnosticDescriptors.FlattenOfVariableSize, step.Path, ShapeInference.FormatBatched(input));
        }
        long product = 1;
        bool symbolic = false;
        foreach (var dim in input)
        {
            if (!Checked.Multiply(product, dim.Value, out product)) return step.Overflow("flattened size");
            symbolic |= dim.Expression is not null;
        }
        if (input.Count == 1)
        {
            step.Warn(DiagnosticDescriptors.FlattenOfFlatInput, step.Path, ShapeInference.Format(input));
        }
        return step.Output(new[] { symbolic ? new Dim(product, Expression(input)) : new Dim(product) });
    }

    /// <summary>C# for the flattened size where constructor parameters size the input: <c>numFilters * 49</c>.</summary>
    private static string Expression(List<Dim> input)
    {
        long constant = 1;
        var factors = new List<string>();
        foreach (var dim in input)
        {
            if (dim.Expression is null) constant *= dim.Value;
            else factors.Add(dim.Expression.Contains(" ") ? "(" + dim.Expression + ")" : dim.Expression);
        }
        if (constant != 1) factors.Add(Numbers.Text(constant));
        return string.Join(" * ", factors);
    }

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments) { }
}
