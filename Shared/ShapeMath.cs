// Compiled into both the generator (compile-time shape inference) and the runtime (execution),
// so the shapes the generator promises are the shapes the layers produce.
namespace SlimGen;

/// <summary>TensorFlow's output-size and padding formulas for convolutions and pools.</summary>
internal static class ShapeMath
{
    /// <summary>Output size along one spatial dimension; may be zero or negative for an invalid layer.</summary>
    public static long OutputSize(long input, int kernel, int stride, Pad padding) =>
        padding == Pad.Same
            ? (input + stride - 1) / stride
            : FloorDiv(input - kernel, stride) + 1;

    /// <summary>
    /// TensorFlow's SAME padding along one dimension: the total needed for <c>ceil(in / stride)</c> outputs,
    /// split with the odd cell at the end (bottom or right).
    /// </summary>
    public static (long Before, long After) SamePadding(long input, int kernel, int stride)
    {
        long output = (input + stride - 1) / stride;
        long total = System.Math.Max((output - 1) * stride + kernel - input, 0);
        return (total / 2, total - total / 2);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
