using System;
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
    /// would read outside it. Only where the size is not known (a model of variable size, <see cref="OnnxGraph.UnknownSize"/>)
    /// does SAME padding become <c>auto_pad</c>, which ONNX Runtime computes from the actual size.
    /// </summary>
    /// <returns>The node attribute: <c>pads</c>, or <c>auto_pad</c>.</returns>
    public static (string Name, object Value) Attribute(
        IReadOnlyList<long> inputShape, Size2d kernel, Size2d stride, Size2d dilation, Pad padding, Size2d? paddingSize)
    {
        long height = inputShape[^2], width = inputShape[^1];
        if (padding == Pad.Same && (height == OnnxGraph.UnknownSize || width == OnnxGraph.UnknownSize))
            return ("auto_pad", "SAME_UPPER");
        // Valid and symmetric padding do not depend on the size.
        var pads = WindowPadding.Resolve(Math.Max(height, 1), Math.Max(width, 1), kernel, stride, dilation, padding, paddingSize);
        return ("pads", new long[] { pads.Top, pads.Left, pads.Bottom, pads.Right });
    }
}
