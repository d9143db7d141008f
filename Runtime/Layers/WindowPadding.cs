using System;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// The padding of one 2-D window op (convolution or pool), resolved against the input size: TensorFlow's SAME with
/// <see cref="ShapeMath.SamePadding"/>, which puts any odd cell at the bottom and right (PyTorch's symmetric padding
/// argument cannot express that), PyTorch's symmetric padding with <see cref="ShapeMath.SymmetricPadding"/>, or none.
/// </summary>
internal readonly record struct WindowPadding(long Top, long Bottom, long Left, long Right)
{
    /// <summary>The padding of an op with the given window over an input of <paramref name="height"/> by <paramref name="width"/>.</summary>
    /// <param name="height">The input's height.</param>
    /// <param name="width">The input's width.</param>
    /// <param name="kernel">The window.</param>
    /// <param name="stride">The window's step.</param>
    /// <param name="dilation">The spacing of the window's taps.</param>
    /// <param name="padding">The scheme.</param>
    /// <param name="paddingSize">For <see cref="Pad.Symmetric"/>: the cells on each side, or null for the default.</param>
    public static WindowPadding Resolve(
        long height, long width, Size2d kernel, Size2d stride, Size2d dilation, Pad padding, Size2d? paddingSize)
    {
        switch (padding)
        {
            case Pad.Same:
                var (top, bottom) = ShapeMath.SamePadding(height, kernel.Height, stride.Height, dilation.Height);
                var (left, right) = ShapeMath.SamePadding(width, kernel.Width, stride.Width, dilation.Width);
                return new WindowPadding(top, bottom, left, right);
            case Pad.Symmetric:
                long rows = ShapeMath.SymmetricPadding(kernel.Height, dilation.Height, paddingSize?.Height ?? -1);
                long columns = ShapeMath.SymmetricPadding(kernel.Width, dilation.Width, paddingSize?.Width ?? -1);
                return new WindowPadding(rows, rows, columns, columns);
            default:
                return default;
        }
    }

    /// <summary>The padding of an op with the given window over <paramref name="input"/> (<c>[..., H, W]</c>).</summary>
    public static WindowPadding Resolve(Tensor input, Size2d kernel, Size2d stride, Size2d dilation, Pad padding, Size2d? paddingSize)
    {
        var shape = input.shape;
        return Resolve(shape[^2], shape[^1], kernel, stride, dilation, padding, paddingSize);
    }

    /// <summary>
    /// Checks a layer's window arguments: positive sizes, a known scheme, and <paramref name="paddingSize"/> (not
    /// negative) only with <see cref="Pad.Symmetric"/>. Null sizes are the layer's defaults.
    /// </summary>
    public static void Validate(Size2d kernelSize, Size2d? stride, Pad padding, Size2d? paddingSize, Size2d? dilation)
    {
        Positive(kernelSize, nameof(kernelSize));
        Positive(stride ?? 1, nameof(stride));
        Positive(dilation ?? 1, nameof(dilation));
        if (!Enum.IsDefined(padding))
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding scheme.");
        if (paddingSize is not { } size)
            return;
        if (padding != Pad.Symmetric)
            throw new ArgumentException($"paddingSize applies to Pad.Symmetric only, but padding is Pad.{padding}.", nameof(paddingSize));
        if (size.Height < 0 || size.Width < 0)
            throw new ArgumentOutOfRangeException(nameof(paddingSize), size, "The padding size must not be negative.");
    }

    /// <summary>
    /// <see cref="Validate"/> for a pool, which also keeps <see cref="Pad.Symmetric"/>'s padding within half the window,
    /// as PyTorch's pools require (a window of padding alone would have no real cell).
    /// </summary>
    public static void ValidatePool(Size2d kernelSize, Size2d? stride, Pad padding, Size2d? paddingSize)
    {
        Validate(kernelSize, stride, padding, paddingSize, dilation: null);
        if (paddingSize is { } size && (size.Height > kernelSize.Height / 2 || size.Width > kernelSize.Width / 2))
        {
            throw new ArgumentOutOfRangeException(
                nameof(paddingSize), size, $"A pool's padding must be at most half its window ({kernelSize}).");
        }
    }

    /// <summary>Whether the op's own (symmetric) padding argument can express this padding.</summary>
    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>
    /// Whether a max pool with this padding over an input of <paramref name="height"/> by <paramref name="width"/> gives
    /// the same windows as PyTorch's <c>ceil_mode</c> with the leading padding on both sides: the extra cells at the end
    /// (TensorFlow's odd SAME cell) are then ones that <c>ceil_mode</c> adds and the max ignores, so no padded copy is
    /// needed (torchvision's GoogLeNet pools so).
    /// </summary>
    public bool IsLeadingPaddingWithCeilMode(long height, long width, Size2d kernel, Size2d stride) =>
        CeilModeFits(height, kernel.Height, stride.Height, Top, Bottom) && CeilModeFits(width, kernel.Width, stride.Width, Left, Right);

    private static bool CeilModeFits(long size, int kernel, int stride, long before, long after)
    {
        if (after < before || 2 * before > kernel) return false;
        // PyTorch's ceil_mode output size, then TensorFlow's SAME one with these pads.
        long ceilOutput = (size + 2 * before - kernel + stride - 1) / stride + 1;
        if ((ceilOutput - 1) * stride >= size + before) ceilOutput--;
        return ceilOutput == (size + before + after - kernel) / stride + 1;
    }

    /// <summary>
    /// Runs <paramref name="op"/> (input, padding argument): with the op's own padding when symmetric, which costs no
    /// extra op, otherwise on a copy padded explicitly with <paramref name="fill"/> and a zero padding argument.
    /// </summary>
    public Tensor Apply(Tensor input, double fill, Func<Tensor, long[], Tensor> op)
    {
        if (IsSymmetric)
            return op(input, [Top, Left]);

        using var padded = F.pad(input, [Left, Right, Top, Bottom], value: fill);
        return op(padded, [0, 0]);
    }

    private static void Positive(Size2d size, string name)
    {
        if (size.Height <= 0 || size.Width <= 0)
            throw new ArgumentOutOfRangeException(name, size, "Sizes must be positive.");
    }
}
