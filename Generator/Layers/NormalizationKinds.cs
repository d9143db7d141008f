using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Layers;

/// <summary><c>[BatchNorm]</c> over the channel dimension; also the settings of a convolution's or dense layer's normalizer.</summary>
internal sealed class BatchNormKind : LayerKind
{
    /// <summary>Also read by the batch-norm normalizers of convolutions and dense layers.</summary>
    private static readonly string[] Keys =
        { nameof(LayerArgs.Activation), nameof(LayerArgs.Epsilon), nameof(LayerArgs.Momentum), nameof(LayerArgs.Scale) };

    public BatchNormKind() : base(Op.BatchNorm, nameof(BatchNormAttribute), "batch_norm") { }

    public override IReadOnlyList<string> ScopeKeys => Keys;

    public override bool HasParameters => true;

    public override Act Activation(LayerSpec layer) => layer.Normalization!.Activation;

    public override bool HasArity(int count) => count == 0;

    public override IReadOnlyList<string>? RepeatArguments => System.Array.Empty<string>();

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) =>
        layer with { Normalization = Normalization(args, args.Activation ?? LayerDefaults.BatchNormActivation) };

    /// <summary>The normalization as <paramref name="args"/> resolved it, with the activation after it.</summary>
    public static NormalizationSpec Normalization(LayerArgs args, Act activation) => new(
        Epsilon: args.Epsilon ?? LayerDefaults.BatchNormEpsilon,
        Momentum: args.Momentum ?? LayerDefaults.BatchNormMomentum,
        Scale: args.Scale ?? true,
        Activation: activation);

    public override void Check(LayerSpec layer, NumberCheck check)
    {
        var normalization = layer.Normalization!;
        if (!(normalization.Epsilon > 0) || double.IsInfinity(normalization.Epsilon))
            check.Invalid(nameof(BatchNormAttribute.Epsilon), Numbers.Text(normalization.Epsilon), "a finite number greater than 0");
        if (!(normalization.Momentum >= 0 && normalization.Momentum <= 1))
            check.Invalid(nameof(BatchNormAttribute.Momentum), Numbers.Text(normalization.Momentum), "in [0, 1]");
    }

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step)
    {
        var input = step.Input;
        if (input.Count is not (1 or 3))
        {
            return step.WrongRank("[C] or [C, H, W]", "batch normalization normalizes the first (channel) dimension");
        }
        if (!Checked.Multiply(input[0].Value, layer.Normalization!.Scale ? 2 : 1, out var parameters)) return step.Overflow("parameter count");
        return step.Output(input, parameters);
    }

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments)
    {
        var normalization = layer.Normalization!;
        arguments.Add("numFeatures", arguments.Inputs);
        arguments.Add("epsilon", Numbers.DoubleLiteral(normalization.Epsilon));
        arguments.Add("momentum", Numbers.DoubleLiteral(normalization.Momentum));
        if (!normalization.Scale) arguments.Add("scale", "false");
        arguments.Add("activation", ConstructorArguments.Enum("Act", normalization.Activation));
        arguments.AddDevice();
    }
}

/// <summary><c>[LocalResponseNorm(depthRadius)]</c>: TensorFlow's local response normalization across channels.</summary>
internal sealed class LocalResponseNormKind : LayerKind
{
    public LocalResponseNormKind() : base(Op.LocalResponseNorm, nameof(LocalResponseNormAttribute), "lrn") { }

    public override bool HasArity(int count) => count == 1;

    public override LayerValues FromAttribute(ImmutableArray<TypedConstant> arguments, SourceRef source) =>
        new(source.AtPosition(0), source.AtPosition(0)) { Size = AttributeReader.Int(arguments[0]) ?? 0 };

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) => layer with
    {
        ResponseNormalization = new ResponseNormalizationSpec(
            DepthRadius: (int)values.Size,
            Bias: NamedDouble(data, nameof(LocalResponseNormAttribute.Bias)) ?? 1,
            Alpha: NamedDouble(data, nameof(LocalResponseNormAttribute.Alpha)) ?? 1,
            Beta: NamedDouble(data, nameof(LocalResponseNormAttribute.Beta)) ?? 0.5),
    };

    public override void Check(LayerSpec layer, NumberCheck check)
    {
        var lrn = layer.ResponseNormalization!;
        if (lrn.DepthRadius < 0) check.Invalid(check.Values.SizeSource, "depthRadius", Numbers.Text(lrn.DepthRadius), "zero or more");
        if (!(lrn.Bias > 0) || double.IsInfinity(lrn.Bias)) check.Invalid(nameof(LocalResponseNormAttribute.Bias), Numbers.Text(lrn.Bias), "a finite number greater than 0");
        if (!(lrn.Alpha >= 0) || double.IsInfinity(lrn.Alpha)) check.Invalid(nameof(LocalResponseNormAttribute.Alpha), Numbers.Text(lrn.Alpha), "a finite number, zero or more");
        if (!(lrn.Beta >= 0) || double.IsInfinity(lrn.Beta)) check.Invalid(nameof(LocalResponseNormAttribute.Beta), Numbers.Text(lrn.Beta), "a finite number, zero or more");
    }

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step) => step.Input.Count != 3
        ? step.WrongRank("[C, H, W]", "it normalizes across the channels of images")
        : step.Output(step.Input);

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments)
    {
        var lrn = layer.ResponseNormalization!;
        arguments.Add("depthRadius", Numbers.Text(lrn.DepthRadius));
        arguments.Add("bias", Numbers.DoubleLiteral(lrn.Bias));
        arguments.Add("alpha", Numbers.DoubleLiteral(lrn.Alpha));
        arguments.Add("beta", Numbers.DoubleLiteral(lrn.Beta));
    }
}
