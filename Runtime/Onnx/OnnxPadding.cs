using System.Collections.Generic;

namespace SlimGen.Onnx;

/// <summary>TensorFlow padding as ONNX's explicit <c>pads</c> of a 2-D window op.</summary>
internal static class OnnxPadding
{
    /// <summary>
    /// <c>[top, left, bottom, right]</c> for an input of the compile-time shape <paramref name="inputShape"/>
    /// (<c>[C, H, W]</c>), with the formula the layers use (<see cref="ShapeMath.SamePadding"/>). Not ONNX's
    /// <c>auto_pad = SAME_UPPER</c>: its padding is not clamped at zero, so a stride larger than the input would read
    /// outside it.
    /// </summary>
    public static long[] Pads(Pad padding, IReadOnlyList<long> inputShape, int kernel, int stride)
    {
        if (padding == Pad.Valid)
            return [0, 0, 0, 0];
        var (top, bottom) = ShapeMath.SamePadding(inputShape[^2], kernel, stride);
        var (left, right) = ShapeMath.SamePadding(inputShape[^1], kernel, stride);
        return [top, left, bottom, right];
    }
}
