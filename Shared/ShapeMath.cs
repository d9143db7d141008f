// Compiled into both the generator (compile-time shape inference) and the runtime (execution),
// so the shapes the generator promises are the shapes the layers produce.
namespace SlimGen;

/// <summary>Output-size and padding formulas for convolutions and pools, per spatial dimension.</summary>
internal static class ShapeMath
{
    /// <summary>Output size along one spatial dimension; may be zero or negative for an invalid layer.</summary>
    /// <param name="input">Input size.</param>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="stride">Step.</param>
    /// <param name="padding">Padding scheme.</param>
    /// <param name="dilation">Spacing of the kernel's taps (1: dense).</param>
    /// <param name="paddingSize">For <see cref="Pad.Symmetric"/>: the cells on each side; negative for the default, <see cref="SymmetricPadding"/>.</param>
    public static long OutputSize(long input, int kernel, int stride, Pad padding, int dilation = 1, int paddingSize = -1) => padding switch
    {
        Pad.Same => (input + stride - 1) / stride,
        Pad.Symmetric => FloorDiv(input + 2L * SymmetricPadding(kernel, dilation, paddingSize) - Extent(kernel, dilation), stride) + 1,
        _ => FloorDiv(input - Extent(kernel, dilation), stride) + 1,
    };

    /// <summary>The cells a dilated kernel spans: <c>dilation * (kernel - 1) + 1</c>.</summary>
    public static long Extent(int kernel, int dilation) => (long)dilation * (kernel - 1) + 1;

    /// <summary>
    /// <see cref="Pad.Symmetric"/>'s cells on each side: <paramref name="paddingSize"/> when given (not negative),
    /// otherwise <c>dilation * (kernel - 1) / 2</c>, torchvision's <c>padding=k//2</c>, which keeps the size at stride 1
    /// for odd kernels (TF-Slim's <c>conv2d_same</c>).
    /// </summary>
    public static long SymmetricPadding(int kernel, int dilation, int paddingSize) =>
        paddingSize >= 0 ? paddingSize : (long)dilation * (kernel - 1) / 2;

    /// <summary>
    /// TensorFlow's SAME padding along one dimension: the total needed for <c>ceil(in / stride)</c> outputs,
    /// split with the odd cell at the end (bottom or right).
    /// </summary>
    public static (long Before, long After) SamePadding(long input, int kernel, int stride, int dilation = 1)
    {
        long output = (input + stride - 1) / stride;
        long total = System.Math.Max((output - 1) * stride + Extent(kernel, dilation) - input, 0);
        return (total / 2, total - total / 2);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
