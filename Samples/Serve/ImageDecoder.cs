using System;
using System.IO;
using SkiaSharp;

namespace SlimGen.Serve;

/// <summary>Decodes PNG and JPEG uploads with Skia, refusing anything it cannot decode completely.</summary>
public static class ImageDecoder
{
    // Far above any photo a classifier needs; guards the decoder's allocation against a header that claims gigapixels.
    private const long MaxPixels = 40_000_000;

    /// <summary>Decodes <paramref name="bytes"/> as a PNG or JPEG image.</summary>
    /// <exception cref="BadRequestException">Not such an image, truncated, corrupt or too large (422).</exception>
    public static DecodedImage Decode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null)
            throw new BadRequestException(422, $"The body is not a PNG or JPEG image the decoder can read ({created}).");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
            throw new BadRequestException(415, $"The image is {codec.EncodedFormat}; send a PNG or JPEG.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
            throw new BadRequestException(422, $"The image is {width}x{height}, more than {MaxPixels:N0} pixels.");

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var result = codec.GetPixels(info, out byte[] rgba);
        if (result != SKCodecResult.Success)
            throw new BadRequestException(422, $"The {codec.EncodedFormat} image is truncated or corrupt ({result}).");
        return new DecodedImage(width, height, rgba);
    }
}
