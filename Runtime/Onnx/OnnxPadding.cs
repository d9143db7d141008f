using System.Collections.Generic;
using SlimGen.Layers;

namespace SlimGen.Onnx;

/// <summary>A window op's padding as ONNX's explicit <c>pads</c>.</summary>
internal static class OnnxPadding
{
    /// <summary>
    /// <c>[top, left, bottom, right]</c> for an input of the compile-time shape <paramref name="inputShape"/>
    /// (<c>[C, H, W]</c>), with the formulas the layers use (<see cref="WindowPadding.Resolve(long, long, Size2d, Size2d, Size2d, Pad, Size2d?)"/>).
    /// Not ONNX's <c>auto_pad = SAME_UPPER</c>: its padding is not clamped at zero, so a stride larger than the input
    /// would read outside it.
    /// </summary>
    public static long[] Pads(
        IReadOnlyList<long> inputShape, Size2d kernel, Size2d stride, Size2d dilation, Pad padding, Size2d? paddingSize)
    {
        var pads = WindowPadding.Resolve(inputShape[^2], inputShape[^1], kernel, stride, dilation, padding, paddingSize);
        return [pads.Top, pads.Left, pads.Bottom, pads.Right];
    }
}
