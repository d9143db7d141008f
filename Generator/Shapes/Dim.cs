using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>
/// One dimension of a per-example shape: its value at compile time (at the declared size) and, when it comes from a
/// constructor parameter, the C# expression that computes it at run time; in a model of variable size, a spatial
/// dimension's <see cref="Form"/> in terms of the input's height or width.
/// </summary>
internal readonly record struct Dim(long Value, string? Expression = null, SpatialForm? Form = null)
{
    /// <summary>C# code for the dimension.</summary>
    public string Code => Expression ?? Numbers.Text(Value);

    /// <summary>The dimension as shape comments and the summary show it: <c>ceil(H/32)</c>, <c>numClasses</c>, <c>64</c>.</summary>
    public string Display => Form?.ToString() ?? Code;

    public override string ToString() => Code;
}

/// <summary>
/// A spatial size in a model of variable size, <c>floor((X + Offset) / Divisor)</c> of the input's height or width X.
/// Every convolution and pool maps this form to one of the same kind (floor((floor(y/D) + m)/s) is floor((y + mD)/(Ds))
/// for whole m), so merges can compare sizes for every input at once: two forms agree for all X exactly when equal.
/// </summary>
internal readonly record struct SpatialForm(string Variable, long Offset, long Divisor)
{
    /// <summary>The size after a window op with the given output formula, from <see cref="ShapeMath"/>.</summary>
    public SpatialForm After(WindowSpec window, bool height)
    {
        int kernel = height ? window.KernelHeight : window.KernelWidth;
        long extent = ShapeMath.Extent(kernel, window.Dilation);
        // out = floor((in + shift) / stride) + add, with in = floor((X + Offset) / Divisor).
        (long shift, long add) = window.Padding switch
        {
            Pad.Same => (window.Stride - 1L, 0L),
            Pad.Symmetric => (2 * ShapeMath.SymmetricPadding(kernel, window.Dilation, window.PaddingSize) - extent, 1L),
            _ => (-extent, 1L),
        };
        return new SpatialForm(Variable, Offset + Divisor * (shift + add * window.Stride), Divisor * window.Stride);
    }

    /// <summary>The smallest input for which this size is at least 1: <c>floor((X + a) / d) >= 1</c> when <c>X >= d - a</c>.</summary>
    public long SmallestInput => Divisor - Offset;

    public override string ToString() =>
        Divisor == 1 ? (Offset == 0 ? Variable : Offset > 0 ? $"{Variable} + {Offset}" : $"{Variable} - {-Offset}")
        : Offset == Divisor - 1 ? $"ceil({Variable}/{Divisor})"
        : Offset == 0 ? $"floor({Variable}/{Divisor})"
        : Offset > 0 ? $"floor(({Variable} + {Offset})/{Divisor})" : $"floor(({Variable} - {-Offset})/{Divisor})";
}
