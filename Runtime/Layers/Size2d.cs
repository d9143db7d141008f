using System.Globalization;

namespace SlimGen.Layers;

/// <summary>
/// A height and a width: the kernel, stride, padding or dilation of a 2-D window op. An <see cref="int"/> converts to a
/// square size and an <c>(int, int)</c> tuple to (height, width), so calls read <c>kernelSize: 3</c> or
/// <c>kernelSize: (1, 7)</c>.
/// </summary>
/// <param name="Height">The size along the height (rows).</param>
/// <param name="Width">The size along the width (columns).</param>
public readonly record struct Size2d(int Height, int Width)
{
    /// <summary>A square size: <paramref name="size"/> along both dimensions.</summary>
    public static implicit operator Size2d(int size) => new(size, size);

    /// <summary>The size <c>(height, width)</c>.</summary>
    public static implicit operator Size2d((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>Height by width, e.g. <c>3x3</c> or <c>1x7</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}");

    /// <summary><c>[Height, Width]</c>, the form TorchSharp's functional ops and ONNX attributes take.</summary>
    internal long[] ToArray() => [Height, Width];
}
