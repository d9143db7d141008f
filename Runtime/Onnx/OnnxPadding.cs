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
    /// would read outside it. Where the size is not known (a model of variable size, <see cref="OnnxGraph.UnknownSize"/>),
    /// SAME padding at stride 1 is still explicit (it does not depend on the size); at a larger stride it becomes
    /// <c>auto_pad = SAME_UPPER</c>, which equals TensorFlow's SAME when the kernel is at least the stride (the padding is
    /// then never negative) and the kernel is not dilated (which ONNX Runtime does not support with auto_pad).
    /// </summary>
    /// <returns>The node attribute: <c>pads</c>, or <c>auto_pad</c>.</returns>
    /// <exception cref="SizeDependentPaddingException">The padding depends on an unknown size in a way ONNX cannot express.</exception>
    public static (string Name, object Value) Attribute(
        IReadOnlyList<long> inputShape, Size2d kernel, Size2d stride, Size2d dilation, Pad padding, Size2d? paddingSize)
    {
        long height = inputShape[^2], width = inputShape[^1];
        bool unknown = height == OnnxGraph.UnknownSize || width == OnnxGraph.UnknownSize;
        if (padding == Pad.Same && unknown && (stride.Height != 1 || stride.Width != 1))
        {
            bool exact = dilation == new Size2d(1, 1) && kernel.Height >= stride.Height && kernel.Width >= stride.Width;
            return exact ? ("auto_pad", "SAME_UPPER") : throw new SizeDependentPaddingException();
        }
        // Valid and symmetric padding, and SAME at stride 1, do not depend on the size: any size computes them.
        var pads = WindowPadding.Resolve(unknown ? AnySize : height, unknown ? AnySize : width, kernel, stride, dilation, padding, paddingSize);
        return ("pads", new long[] { pads.Top, pads.Left, pads.Bottom, pads.Right });
    }

    private const long AnySize = 1 << 16;
}

/// <summary>A window op whose padding ONNX can only write for one input size; the export then fixes the size.</summary>
internal sealed class SizeDependentPaddingException : Exception
{
    public SizeDependentPaddingException()
        : base("SAME padding that depends on the input size and that ONNX's auto_pad cannot express.")
    {
    }
}
