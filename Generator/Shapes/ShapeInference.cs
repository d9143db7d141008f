using System.Collections.Generic;
using System.Linq;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>
/// Shape inference over a <see cref="ModelSpec"/>, with the formulas the runtime executes
/// (<see cref="ShapeMath"/>). Pure: no symbols or syntax, never throws, all arithmetic overflow-checked.
/// </summary>
internal static class ShapeInference
{
    public static ShapeReport Infer(ModelSpec spec)
    {
        var diagnostics = new List<ModelDiagnostic>();
        var layers = new List<LayerShape>();
        long totalParameters = 0, totalMacs = 0;

        var input = spec.InputShape;
        if (input.Count == 0 || input.Any(d => d < 1))
        {
            // On the first dimension below 1, or on [SlimModel] when no shape is given.
            var model = new SourceRef(SourceKind.ModelAttribute);
            var source = input.Count == 0 ? model : model.AtPosition(Enumerable.Range(0, input.Count).First(i => input[i] < 1));
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidInputShape, source,
                spec.ClassName, Format(input.Select(d => new Dim(d))),
                input.Count == 0 ? "give the per-example shape, for example [SlimModel(3, 224, 224)] for RGB images" : "every dimension must be at least 1"));
            return Report();
        }

        var shape = input.Select(d => new Dim(d)).ToList();
        // The input's size; each layer's output size is checked below.
        if (!TryCount(shape, out _))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.SizeOverflow, new SourceRef(SourceKind.ModelAttribute),
                spec.ClassName, "per-example input size", Format(shape)));
            return Report();
        }
        foreach (var layer in spec.Layers)
        {
            var result = Apply(layer, shape, diagnostics);
            if (result is null) return Report();
            if (!Checked.Add(totalParameters, result.Parameters, out totalParameters) || !Checked.Add(totalMacs, result.Macs, out totalMacs))
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.SizeOverflow, layer.Source, layer.Path, "model's total parameter or MAC count", Format(shape)));
                return Report();
            }
            // Flatten returns a view of its input: it allocates nothing.
            if (!TryCount(result.Output, out var outputElements) || !Checked.Multiply(outputElements, sizeof(float), out var outputBytes))
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.SizeOverflow, layer.Source, layer.Path, "output size in bytes", Format(shape)));
                return Report();
            }
            layers.Add(result with { OutputBytes = layer.Op == Op.Flatten ? 0 : outputBytes });
            shape = result.Output.ToList();
        }

        if (spec.OutputShape is { } declared && !declared.SequenceEqual(shape.Select(d => d.Value).Select(v => (int)System.Math.Min(v, int.MaxValue))))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.OutputShapeMismatch, new SourceRef(SourceKind.ModelAttribute, 0, "OutputShape"),
                spec.ClassName, Format(declared.Select(d => new Dim(d))), Format(shape)));
        }
        return Report();

        ShapeReport Report() => new(layers.ToEquatableArray(), totalParameters, totalMacs, diagnostics.ToEquatableArray());
    }

    /// <summary>The shape as the generated comments and messages show it: <c>[N, 64, 224, 224]</c>.</summary>
    public static string FormatBatched(IEnumerable<Dim> shape) => "[N" + string.Concat(shape.Select(d => ", " + d.Code)) + "]";

    /// <summary>A shape in a message: its values, constructor parameters at their defaults (<c>[64, 7, 7]</c>).</summary>
    private static string Format(IEnumerable<Dim> shape) => "[" + string.Join(", ", shape.Select(d => Numbers.Text(d.Value))) + "]";

    /// <summary>The number of elements of a shape, false when a 64-bit count cannot hold it.</summary>
    private static bool TryCount(IEnumerable<Dim> shape, out long count)
    {
        count = 1;
        foreach (var dim in shape)
        {
            if (!Checked.Multiply(count, dim.Value, out count)) return false;
        }
        return true;
    }

    private static LayerShape? Apply(LayerSpec layer, List<Dim> input, List<ModelDiagnostic> diagnostics)
    {
        var inputShape = input.ToEquatableArray();
        LayerShape? Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceRef source, params object[] args)
        {
            diagnostics.Add(ModelDiagnostic.Create(descriptor, source, args));
            return null;
        }
        LayerShape? Overflow(string what) => Fail(DiagnosticDescriptors.SizeOverflow, layer.Source, layer.Path, what, Format(input));

        switch (layer.Op)
        {
            case Op.Conv2d:
            case Op.MaxPool2d:
            case Op.AvgPool2d:
                {
                    if (input.Count != 3)
                    {
                        return Fail(DiagnosticDescriptors.RankMismatch, layer.Source, layer.Path, "[C, H, W]", Format(input),
                            input.Count == 1 ? "2-D layers cannot follow [Flatten] or a dense layer" : "declare the input as [SlimModel(channels, height, width)]");
                    }
                    var window = layer.Window!;
                    long height = input[1].Value, width = input[2].Value;
                    if (window.Padding == Pad.Valid && (window.Kernel > height || window.Kernel > width))
                    {
                        long largestKernel = System.Math.Min(height, width);
                        return layer.Op == Op.Conv2d
                            ? Fail(DiagnosticDescriptors.KernelLargerThanInput, layer.Source, layer.Path, window.Kernel, height + "x" + width, Format(input), largestKernel)
                            : Fail(DiagnosticDescriptors.SpatialSizeBelowOne, layer.Source, layer.Path,
                                System.Math.Max(0, ShapeMath.OutputSize(height, window.Kernel, window.Stride, Pad.Valid)) + "x" + System.Math.Max(0, ShapeMath.OutputSize(width, window.Kernel, window.Stride, Pad.Valid)),
                                Format(input), window.Kernel, window.Stride, largestKernel);
                    }
                    long outHeight = ShapeMath.OutputSize(height, window.Kernel, window.Stride, window.Padding);
                    long outWidth = ShapeMath.OutputSize(width, window.Kernel, window.Stride, window.Padding);
                    if (layer.Op != Op.Conv2d)
                    {
                        return new LayerShape(inputShape, new[] { input[0], new Dim(outHeight), new Dim(outWidth) }.ToEquatableArray(), 0, 0);
                    }

                    var channels = input[0];
                    var filters = new Dim(layer.Size, layer.Parameter);
                    long kernelArea = (long)window.Kernel * window.Kernel;
                    if (!Checked.Multiply(kernelArea, channels.Value, out var perFilter)
                        || !Checked.Multiply(perFilter, filters.Value, out var weights)
                        || !Checked.Add(weights, Extra(layer, filters.Value), out var parameters))
                    {
                        return Overflow("parameter count");
                    }
                    if (!Checked.Multiply(outHeight * outWidth, weights, out var macs))
                    {
                        return Overflow("MAC count");
                    }
                    return new LayerShape(inputShape, new[] { filters, new Dim(outHeight), new Dim(outWidth) }.ToEquatableArray(), parameters, macs);
                }

            case Op.FullyConnected:
                {
                    if (input.Count != 1)
                    {
                        return Fail(DiagnosticDescriptors.DenseNeedsFlatten, layer.Source, layer.Path, Format(input), input.Count);
                    }
                    var units = new Dim(layer.Size, layer.Parameter);
                    if (!Checked.Multiply(input[0].Value, units.Value, out var weights) || !Checked.Add(weights, Extra(layer, units.Value), out var parameters))
                    {
                        return Overflow("parameter count");
                    }
                    return new LayerShape(inputShape, new[] { units }.ToEquatableArray(), parameters, weights);
                }

            case Op.Flatten:
                {
                    long product = 1;
                    var symbols = new List<string>();
                    foreach (var dim in input)
                    {
                        if (!Checked.Multiply(product, dim.Value, out product)) return Overflow("flattened size");
                        if (dim.Expression is not null) symbols.Add(dim.Expression);
                    }
                    if (input.Count == 1)
                    {
                        diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.FlattenOfFlatInput, layer.Source, layer.Path, Format(input)));
                    }
                    var flat = symbols.Count == 0 ? new Dim(product) : new Dim(product, FlattenExpression(input));
                    return new LayerShape(inputShape, new[] { flat }.ToEquatableArray(), 0, 0);
                }

            case Op.BatchNorm:
                {
                    if (input.Count is not (1 or 3))
                    {
                        return Fail(DiagnosticDescriptors.RankMismatch, layer.Source, layer.Path, "[C] or [C, H, W]", Format(input), "batch normalization normalizes the first (channel) dimension");
                    }
                    if (!Checked.Multiply(input[0].Value, 2, out var parameters)) return Overflow("parameter count");
                    return new LayerShape(inputShape, inputShape, parameters, 0);
                }

            default:
                return new LayerShape(inputShape, inputShape, 0, 0);
        }
    }

    /// <summary>Bias or normalizer parameters on top of the weights.</summary>
    private static long Extra(LayerSpec layer, long outputs) =>
        layer.Weights!.Normalizer == Norm.BatchNorm ? outputs * 2 : layer.Weights.HasBias ? outputs : 0;

    private static string FlattenExpression(List<Dim> input)
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

}
