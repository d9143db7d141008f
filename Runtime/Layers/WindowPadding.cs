using System;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// TensorFlow padding of one 2-D window op (convolution or pool), resolved against the actual input size with
/// <see cref="ShapeMath.SamePadding"/>. SAME puts any odd cell at the bottom and right, which PyTorch's symmetric
/// padding argument cannot express.
/// </summary>
internal readonly record struct WindowPadding(long Top, long Bottom, long Left, long Right)
{
    /// <summary>The padding of an op with the given window over <paramref name="input"/> (<c>[..., H, W]</c>).</summary>
    public static WindowPadding Resolve(Tensor input, int kernel, int stride, Pad padding)
    {
        if (padding == Pad.Valid)
            return default;

        var shape = input.shape;
        var (top, bottom) = ShapeMath.SamePadding(shape[^2], kernel, stride);
        var (left, right) = ShapeMath.SamePadding(shape[^1], kernel, stride);
        return new WindowPadding(top, bottom, left, right);
    }

    /// <summary>Whether the op's own (symmetric) padding argument can express this padding.</summary>
    public bool IsSymmetric => Top == Bottom && Left == Right;

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
}
