using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SlimGen;

/// <summary>One row of a <see cref="ModelSummary"/>.</summary>
/// <param name="Scope">The layer's scoped name, e.g. <c>conv1/conv1_2</c>.</param>
/// <param name="Op">The layer kind, e.g. <see cref="SlimGen.Op.Conv2d"/>.</param>
/// <param name="OutputShape">The shape of one example's output, without the batch dimension, e.g. <c>[64, 224, 224]</c>.</param>
/// <param name="Parameters">The number of trainable parameters.</param>
/// <param name="Macs">Multiply-accumulate operations for one example.</param>
/// <param name="OutputBytes">float32 bytes of one example's output that the layer allocates (0 for a view such as Flatten).</param>
public sealed record LayerSummary(string Scope, Op Op, long[] OutputShape, long Parameters, long Macs, long OutputBytes)
{
    /// <summary>
    /// The scopes of the rows whose outputs the layer reads (<c>""</c> for the model's input), where that is not simply
    /// the row before it: a branch's first layer, a concat, a shortcut, a residual add. Empty for the row before it.
    /// </summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>The activation after a residual add (<see cref="SlimGen.Op.Add"/>); <see cref="Act.None"/> elsewhere.</summary>
    public Act Activation { get; init; }

    /// <summary>
    /// In a model of variable size, the output shape in terms of the input's height and width, e.g.
    /// <c>[N, 2048, ceil(H/32), ceil(W/32)]</c>; null elsewhere. <see cref="OutputShape"/> is then at the declared size.
    /// </summary>
    public string? SymbolicShape { get; init; }
}

/// <summary>
/// A model's layers with their output shapes, parameter counts, MACs and activation sizes, computed by the generator
/// at compile time; <see cref="ToString"/> renders a Keras/torchinfo-style table.
/// </summary>
public sealed class ModelSummary
{
    private static readonly string[] Headers = ["Layer (scope)", "Op", "Output shape", "Params", "MACs", "Activations"];
    private const int FirstNumberColumn = 3;
    private const string ColumnGap = "  ";

    /// <summary>Creates a summary; cheap, as generated code builds it in a static initializer.</summary>
    /// <param name="modelName">The model's name.</param>
    /// <param name="inputShape">The shape of one example, without the batch dimension.</param>
    /// <param name="layers">The layers in execution order.</param>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
    public ModelSummary(string modelName, long[] inputShape, params LayerSummary[] layers)
    {
        ModelName = modelName;
        InputShape = inputShape;
        Layers = layers;
    }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>
    /// For a model of variable size (<c>VariableSize = true</c>), the smallest input it accepts, computed at compile
    /// time; null for a model of fixed size. <see cref="InputShape"/> is then the example size of the numbers.
    /// </summary>
    public long[]? MinimumInputShape { get; init; }

    /// <summary>The shape of one example, without the batch dimension.</summary>
    public long[] InputShape { get; }

    /// <summary>The layers in execution order.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>The number of trainable parameters of all layers.</summary>
    public long TotalParameters => Layers.Sum(layer => layer.Parameters);

    /// <summary>Multiply-accumulate operations of all layers, for one example.</summary>
    public long TotalMacs => Layers.Sum(layer => layer.Macs);

    /// <summary>
    /// float32 bytes of all layers' outputs for one example: what a forward pass that keeps its activations (for
    /// backward, or as end points) holds. Multiply by the batch size.
    /// </summary>
    public long ForwardBytes => Layers.Sum(layer => layer.OutputBytes);

    /// <summary>
    /// An estimate of the activation memory of a training step for one example: each activation and its gradient,
    /// twice <see cref="ForwardBytes"/>, as torchinfo's "forward/backward pass size". Multiply by the batch size.
    /// </summary>
    public long ForwardBackwardBytes => 2 * ForwardBytes;

    /// <summary>Renders the summary as a fixed-width table followed by the totals.</summary>
    public override string ToString()
    {
        var rows = Layers.Select(layer => new[]
        {
            layer.Scope,
            layer.Op.ToString(),
            layer.SymbolicShape ?? Shape(layer.OutputShape),
            Count(layer.Parameters),
            Count(layer.Macs),
            Bytes(layer.OutputBytes),
        }).ToList();
        var widths = Enumerable.Range(0, Headers.Length)
            .Select(column => rows.Select(row => row[column].Length).Prepend(Headers[column].Length).Max())
            .ToArray();
        var rule = new string('=', widths.Sum() + ColumnGap.Length * (widths.Length - 1));

        var input = MinimumInputShape is { } minimum
            ? string.Create(CultureInfo.InvariantCulture, $"[N, {InputShape[0]}, H, W] with H >= {minimum[1]} and W >= {minimum[2]}; counts at {InputShape[1]}x{InputShape[2]}")
            : Shape(InputShape);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Model: {ModelName}, input {input}")
            .AppendLine(rule)
            .AppendLine(Row(Headers, widths))
            .AppendLine(rule);
        foreach (var row in rows)
            text.AppendLine(Row(row, widths));
        return text
            .AppendLine(rule)
            .AppendLine(CultureInfo.InvariantCulture, $"Total params: {Count(TotalParameters)}")
            .AppendLine(CultureInfo.InvariantCulture, $"Total MACs: {Count(TotalMacs)} ({Human(TotalMacs)})")
            .AppendLine(CultureInfo.InvariantCulture, $"Activations per example (float32): forward {Bytes(ForwardBytes)}, forward/backward {Bytes(ForwardBackwardBytes)}")
            .ToString();
    }

    // Text left-aligned, numbers right-aligned.
    private static string Row(string[] cells, int[] widths) =>
        string.Join(ColumnGap, cells.Select((cell, i) => i < FirstNumberColumn ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();

    private static string Shape(long[] perExample) => ShapeGuard.Format(perExample.Prepend(-1));

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long value) => Human(value, "B");

    /// <summary><paramref name="value"/> in decimal units, e.g. <c>72.13 K</c>, or <c>12.85 MB</c> with the unit <c>B</c>.</summary>
    private static string Human(long value, string unit = "")
    {
        ReadOnlySpan<(double Scale, string Prefix)> prefixes = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")];
        foreach (var (scale, prefix) in prefixes)
        {
            if (Math.Abs(value) >= scale)
                return (value / scale).ToString("0.00", CultureInfo.InvariantCulture) + " " + prefix + unit;
        }
        return (value.ToString(CultureInfo.InvariantCulture) + " " + unit).TrimEnd();
    }
}
