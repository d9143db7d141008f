using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Layers;

/// <summary>Convolutions and pools: layers with a sliding window, whose padding and stride arg scopes set.</summary>
internal abstract class WindowKind : LayerKind
{
    private static readonly string[] WindowKeys = { nameof(LayerArgs.Padding), nameof(LayerArgs.Stride) };

    protected WindowKind(Op op, string attributeName, string defaultName, int defaultStride, Pad defaultPadding) : base(op, attributeName, defaultName)
    {
        DefaultStride = defaultStride;
        DefaultPadding = defaultPadding;
    }

    public int DefaultStride { get; }

    public Pad DefaultPadding { get; }

    public override IReadOnlyList<string> ScopeKeys => WindowKeys;

    /// <summary>Where the kernel is among the attribute's constructor arguments.</summary>
    protected virtual int KernelPosition => 0;

    public override LayerValues FromAttribute(ImmutableArray<TypedConstant> arguments, SourceRef source)
    {
        int height = AttributeReader.Int(arguments[KernelPosition]) ?? 0;
        int width = arguments.Length > KernelPosition + 1 ? AttributeReader.Int(arguments[KernelPosition + 1]) ?? 0 : height;
        return new LayerValues(source.AtPosition(0), source.AtPosition(KernelPosition)) { KernelHeight = height, KernelWidth = width };
    }

    /// <summary>A repeated window layer's one value is its kernel (a convolution's come after its filters).</summary>
    public override LayerValues FromRepeat(ImmutableArray<int> values, SourceRef source) =>
        new(source.AtPosition(2), source.AtPosition(2)) { KernelHeight = values[0], KernelWidth = values[0] };

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) => layer with
    {
        Window = new WindowSpec(KernelHeight: values.KernelHeight, KernelWidth: values.KernelWidth, Stride: args.Stride ?? DefaultStride,
            Padding: args.Padding ?? DefaultPadding, PaddingSize: NamedInt(data, nameof(Conv2dAttribute.PaddingSize)) ?? -1,
            Dilation: NamedInt(data, nameof(Conv2dAttribute.Dilation)) ?? 1, Strided: AttributeReader.Named(data, nameof(Conv2dAttribute.Strided)) is { Value: true }),
    };

    public override void Check(LayerSpec layer, NumberCheck check)
    {
        var window = layer.Window!;
        if (window.KernelHeight < 1 || window.KernelWidth < 1) check.Invalid(check.Values.KernelSource, "kernel", window.KernelText, "at least 1");
        if (window.Dilation < 1) check.Invalid(nameof(Conv2dAttribute.Dilation), Numbers.Text(window.Dilation), "at least 1");
        if (window.PaddingSize < -1) check.Invalid(nameof(Conv2dAttribute.PaddingSize), Numbers.Text(window.PaddingSize), "zero or more");
        if (window.PaddingSize >= 0 && window.Padding != Pad.Symmetric)
            check.Invalid(check.Source.At(nameof(Conv2dAttribute.PaddingSize)), "PaddingSize with " + nameof(Pad) + "." + window.Padding, Numbers.Text(window.PaddingSize), "used with Padding = Pad.Symmetric");
    }

    /// <summary>The output's height and width, with their forms in a model of variable size; null after a report.</summary>
    protected static (Dim Height, Dim Width)? Spatial(WindowSpec window, ShapeStep step, bool kernelMustFit)
    {
        var input = step.Input;
        if (input.Count != 3)
        {
            step.WrongRank("[C, H, W]", input.Count == 1 ? "2-D layers cannot follow [Flatten] or a dense layer" : "declare the input as [SlimModel(channels, height, width)]");
            return null;
        }
        long height = input[1].Value, width = input[2].Value;
        long extentHeight = ShapeMath.Extent(window.KernelHeight, window.Dilation), extentWidth = ShapeMath.Extent(window.KernelWidth, window.Dilation);
        long outHeight = ShapeMath.OutputSize(height, window.KernelHeight, window.Stride, window.Padding, window.Dilation, window.PaddingSize);
        long outWidth = ShapeMath.OutputSize(width, window.KernelWidth, window.Stride, window.Padding, window.Dilation, window.PaddingSize);
        if (window.Padding == Pad.Valid && kernelMustFit && (extentHeight > height || extentWidth > width))
        {
            step.Fail(DiagnosticDescriptors.KernelLargerThanInput, step.Path, extentHeight + "x" + extentWidth, height + "x" + width, ShapeInference.Format(input),
                System.Math.Min(height, width));
            return null;
        }
        if (outHeight < 1 || outWidth < 1)
        {
            step.Fail(DiagnosticDescriptors.SpatialSizeBelowOne, step.Path, System.Math.Max(0, outHeight) + "x" + System.Math.Max(0, outWidth), ShapeInference.Format(input),
                window.IsSquare ? Numbers.Text(window.KernelHeight) : window.KernelText, window.Stride, System.Math.Min(height, width));
            return null;
        }
        var outputHeight = new Dim(outHeight, Form: input[1].Form?.After(window, height: true));
        var outputWidth = new Dim(outWidth, Form: input[2].Form?.After(window, height: false));
        step.NoteSpatialOutput(outputHeight, outputWidth);
        return (outputHeight, outputWidth);
    }

    public override (string Height, string Width) CommentSpatial(LayerSpec layer, string height, string width)
    {
        var window = layer.Window!;
        var stride = window.Strided ? "stride" : window.Stride == 1 ? null : Numbers.Text(window.Stride);
        bool keepsSize = window.Padding == Pad.Same
            || window.Padding == Pad.Symmetric && KeepsSize(window.KernelHeight, window) && KeepsSize(window.KernelWidth, window);
        return (Next(height, stride, keepsSize), Next(width, stride, keepsSize));

        static bool KeepsSize(int kernel, WindowSpec window) =>
            2 * ShapeMath.SymmetricPadding(kernel, window.Dilation, window.PaddingSize) == ShapeMath.Extent(kernel, window.Dilation) - 1;

        static string Next(string size, string? stride, bool keepsSize) =>
            !keepsSize ? (size.EndsWith("'") ? size : size + "'") : stride is null ? size : size + "/" + stride;
    }

    protected static void WriteWindow(WindowSpec window, ConstructorArguments arguments)
    {
        arguments.Add("kernelSize", Pair(window.KernelHeight, window.KernelWidth));
        arguments.Add("stride", window.Strided && arguments.Stride is not null ? arguments.Stride : Numbers.Text(window.Stride));
        arguments.Add("padding", ConstructorArguments.Enum("Pad", window.Padding));
        if (window.Padding == Pad.Symmetric && window.PaddingSize >= 0) arguments.Add("paddingSize", Numbers.Text(window.PaddingSize));
        if (window.Dilation != 1) arguments.Add("dilation", Numbers.Text(window.Dilation));
    }

    /// <summary>A square size as one number (<c>3</c>), otherwise as a tuple (<c>(1, 7)</c>).</summary>
    private static string Pair(int height, int width) => height == width ? Numbers.Text(height) : $"({Numbers.Text(height)}, {Numbers.Text(width)})";
}

/// <summary>Convolutions: a window with weights; <see cref="Conv2dKind"/> and <see cref="DepthwiseConv2dKind"/>.</summary>
internal abstract class ConvolutionKind : WindowKind
{
    private static readonly IReadOnlyList<string> ConvolutionKeys = new[] { nameof(LayerArgs.Padding), nameof(LayerArgs.Stride) }.Concat(WeightedLayer.Keys).ToArray();

    protected ConvolutionKind(Op op, string attributeName, string defaultName)
        : base(op, attributeName, defaultName, LayerDefaults.ConvolutionStride, LayerDefaults.ConvolutionPadding) { }

    public override IReadOnlyList<string> ScopeKeys => ConvolutionKeys;

    public override bool HasParameters => true;

    public override Act Activation(LayerSpec layer) => layer.Weights!.Activation;

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) =>
        base.Build(layer, values, args, data, scopes) with { Weights = WeightedLayer.Weights(args, scopes) };

    /// <summary>The output channels as a dimension: a constructor parameter keeps its name.</summary>
    protected abstract Dim Filters(LayerSpec layer, Dim channels);

    /// <summary>Input channels each filter reads.</summary>
    protected abstract long InputsPerFilter(LayerSpec layer, long channels);

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step)
    {
        var window = layer.Window!;
        if (Spatial(window, step, kernelMustFit: true) is not var (height, width)) return null;
        var channels = step.Input[0];
        var filters = Filters(layer, channels);
        if (channels.Value % layer.Groups != 0 || filters.Value % layer.Groups != 0)
        {
            return step.Fail(DiagnosticDescriptors.GroupsDoNotDivide, step.Path, layer.Groups, channels.Value, filters.Value);
        }
        long kernelArea = (long)window.KernelHeight * window.KernelWidth;
        if (!Checked.Multiply(kernelArea, InputsPerFilter(layer, channels.Value), out var perFilter)
            || !Checked.Multiply(perFilter, filters.Value, out var weights)
            || !Checked.Add(weights, WeightedLayer.ExtraParameters(layer.Weights!, filters.Value), out var parameters))
        {
            return step.Overflow("parameter count");
        }
        if (!Checked.Multiply(height.Value * width.Value, weights, out var macs))
        {
            return step.Overflow("MAC count");
        }
        return step.Output(new[] { filters, height, width }, parameters, macs);
    }
}

/// <summary><c>[Conv2d(filters, kernel)]</c>, grouped with <c>Groups</c> (ResNeXt's cardinality).</summary>
internal sealed class Conv2dKind : ConvolutionKind
{
    private static readonly string[] Repeated = { "filters", "kernel" };

    public Conv2dKind() : base(Op.Conv2d, nameof(Conv2dAttribute), "conv2d") { }

    public override string? SizeName => "filters";

    public override bool HasArity(int count) => count is 2 or 3;

    public override IReadOnlyList<string>? RepeatArguments => Repeated;

    public override bool Stackable => true;

    /// <summary>A stack of convolutions takes its kernel from the <c>Kernel</c> key; its values are the filters.</summary>
    public override bool StackTakesKernel => true;

    public override bool TakesParameter => true;

    protected override int KernelPosition => 1;

    public override LayerValues FromAttribute(ImmutableArray<TypedConstant> arguments, SourceRef source) =>
        base.FromAttribute(arguments, source) with { Size = AttributeReader.Int(arguments[0]) ?? 0, SizeText = AttributeReader.String(arguments[0]) };

    public override LayerValues FromRepeat(ImmutableArray<int> values, SourceRef source) =>
        new(source.AtPosition(2), source.AtPosition(3)) { Size = values[0], KernelHeight = values[1], KernelWidth = values[1] };

    public override LayerValues FromStack(int value, int? kernel, SourceRef valueSource, SourceRef kernelSource) =>
        new(valueSource, kernelSource) { Size = value, KernelHeight = kernel ?? 0, KernelWidth = kernel ?? 0 };

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) =>
        base.Build(layer, values, args, data, scopes) with { Size = values.Size, Groups = NamedInt(data, nameof(Conv2dAttribute.Groups)) ?? 1 };

    public override void Check(LayerSpec layer, NumberCheck check)
    {
        WeightedLayer.CheckSize(layer, this, check);
        if (layer.Groups < 1) check.Invalid(nameof(Conv2dAttribute.Groups), Numbers.Text(layer.Groups), "at least 1");
        base.Check(layer, check);
    }

    protected override Dim Filters(LayerSpec layer, Dim channels) => new(layer.Size, layer.Parameter);

    protected override long InputsPerFilter(LayerSpec layer, long channels) => channels / layer.Groups;

    public override ChannelRule Channels(LayerSpec layer) => ChannelRule.Size;

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments)
    {
        arguments.Add("inChannels", arguments.Inputs);
        arguments.Add("outChannels", arguments.Size);
        WriteWindow(layer.Window!, arguments);
        if (layer.Groups != 1) arguments.Add("groups", Numbers.Text(layer.Groups));
        WeightedLayer.WriteArguments(layer.Weights!, arguments);
    }
}

/// <summary><c>[DepthwiseConv2d(kernel)]</c>: <c>Multiplier</c> filters per input channel.</summary>
internal sealed class DepthwiseConv2dKind : ConvolutionKind
{
    private static readonly string[] Repeated = { "kernel" };

    public DepthwiseConv2dKind() : base(Op.DepthwiseConv2d, nameof(DepthwiseConv2dAttribute), "depthwise_conv2d") { }

    public override bool HasArity(int count) => count is 1 or 2;

    public override IReadOnlyList<string>? RepeatArguments => Repeated;

    public override LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) =>
        base.Build(layer, values, args, data, scopes) with { Multiplier = NamedInt(data, nameof(DepthwiseConv2dAttribute.Multiplier)) ?? 1 };

    public override void Check(LayerSpec layer, NumberCheck check)
    {
        if (layer.Multiplier < 1) check.Invalid(nameof(DepthwiseConv2dAttribute.Multiplier), Numbers.Text(layer.Multiplier), "at least 1");
        base.Check(layer, check);
    }

    protected override Dim Filters(LayerSpec layer, Dim channels) => new(channels.Value * layer.Multiplier,
        channels.Expression is null || layer.Multiplier == 1 ? channels.Expression : "(" + channels.Expression + ") * " + layer.Multiplier);

    protected override long InputsPerFilter(LayerSpec layer, long channels) => 1;

    public override ChannelRule Channels(LayerSpec layer) => ChannelRule.Times(layer.Multiplier);

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments)
    {
        arguments.Add("inChannels", arguments.Inputs);
        arguments.Add("multiplier", Numbers.Text(layer.Multiplier));
        WriteWindow(layer.Window!, arguments);
        WeightedLayer.WriteArguments(layer.Weights!, arguments);
    }
}

/// <summary><c>[MaxPool2d(kernel)]</c> and <c>[AvgPool2d(kernel)]</c>.</summary>
internal sealed class PoolKind : WindowKind
{
    private static readonly string[] Repeated = { "kernel" };

    public PoolKind(Op op, string attributeName, string defaultName) : base(op, attributeName, defaultName, LayerDefaults.PoolStride, LayerDefaults.PoolPadding) { }

    public override bool HasArity(int count) => count == 1;

    public override IReadOnlyList<string>? RepeatArguments => Repeated;

    public override bool Stackable => true;

    /// <summary>A stack of pools takes its kernels from the values.</summary>
    public override LayerValues FromStack(int value, int? kernel, SourceRef valueSource, SourceRef kernelSource) =>
        new(valueSource, valueSource) { KernelHeight = value, KernelWidth = value };

    public override void Warn(LayerSpec layer, NumberCheck check)
    {
        if (layer.Window is { KernelHeight: 1, KernelWidth: 1, Stride: 1, Strided: false })
        {
            check.Report(DiagnosticDescriptors.PoolOfOneByOne, check.WindowWarningSource, layer.Path);
        }
    }

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step) =>
        Spatial(layer.Window!, step, kernelMustFit: false) is var (height, width) ? step.Output(new[] { step.Input[0], height, width }) : null;

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments) => WriteWindow(layer.Window!, arguments);
}

/// <summary><c>[GlobalAvgPool2d]</c>: the average over the whole spatial extent, <c>[C, H, W]</c> to <c>[C, 1, 1]</c>.</summary>
internal sealed class GlobalAvgPoolKind : LayerKind
{
    public GlobalAvgPoolKind() : base(Op.GlobalAvgPool2d, nameof(GlobalAvgPool2dAttribute), "global_pool") { }

    public override bool HasArity(int count) => count == 0;

    public override IReadOnlyList<string>? RepeatArguments => System.Array.Empty<string>();

    public override (string Height, string Width) CommentSpatial(LayerSpec layer, string height, string width) => ("1", "1");

    public override LayerShape? Shape(LayerSpec layer, ShapeStep step) => step.Input.Count != 3
        ? step.WrongRank("[C, H, W]", "global pooling averages the spatial dimensions of images")
        : step.Output(new[] { step.Input[0], new Dim(1), new Dim(1) });

    public override void WriteArguments(LayerSpec layer, ConstructorArguments arguments) { }
}
