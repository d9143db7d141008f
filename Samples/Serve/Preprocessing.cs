using System;

namespace SlimGen.Serve;

/// <summary>An image decoded to 8-bit RGBA, row by row.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Rgba">Red, green, blue and alpha of each pixel.</param>
public sealed record DecodedImage(int Width, int Height, byte[] Rgba);

/// <summary>A request the service refuses, with the HTTP status and a message that says what to send instead.</summary>
public sealed class BadRequestException(int statusCode, string message) : Exception(message)
{
    /// <summary>The 4xx status of the answer.</summary>
    public int StatusCode { get; } = statusCode;
}

/// <summary>How each served model's weights expect their input.</summary>
public static class Preprocessing
{
    // torchvision's ImageNet normalization.
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>
    /// The Fashion-MNIST sample's input: a 28x28 image as gray levels scaled to [0, 1] (light garment on black, as in the
    /// dataset). Other sizes are refused rather than resized: the model was trained on 28x28 pictures only.
    /// </summary>
    public static float[] FashionMnist(DecodedImage image)
    {
        if (image.Width != 28 || image.Height != 28)
            throw new BadRequestException(422, $"The fashion-mnist model classifies 28x28 images; this one is {image.Width}x{image.Height}.");
        var values = new float[28 * 28];
        for (int i = 0; i < values.Length; i++)
        {
            int r = image.Rgba[4 * i], g = image.Rgba[4 * i + 1], b = image.Rgba[4 * i + 2];
            values[i] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
        }
        return values;
    }

    /// <summary>
    /// torchvision's ImageNet evaluation transform: resize the shorter side to 256 (bilinear), crop the center 224x224,
    /// scale to [0, 1] and normalize each channel with ImageNet's mean and standard deviation; channels first.
    /// </summary>
    public static float[] ImageNet(DecodedImage image)
    {
        const int Resized = 256, Crop = 224;
        double scale = (double)Resized / Math.Min(image.Width, image.Height);
        int width = Math.Max(Resized, (int)(image.Width * scale)), height = Math.Max(Resized, (int)(image.Height * scale));
        int left = (width - Crop) / 2, top = (height - Crop) / 2;
        var values = new float[3 * Crop * Crop];
        for (int y = 0; y < Crop; y++)
        {
            for (int x = 0; x < Crop; x++)
            {
                // The source position of this pixel's center (align_corners=False), sampled bilinearly.
                double sourceX = Math.Clamp((x + left + 0.5) * image.Width / width - 0.5, 0, image.Width - 1);
                double sourceY = Math.Clamp((y + top + 0.5) * image.Height / height - 0.5, 0, image.Height - 1);
                for (int channel = 0; channel < 3; channel++)
                {
                    double value = Bilinear(image, sourceX, sourceY, channel) / 255.0;
                    values[(channel * Crop + y) * Crop + x] = (float)((value - ImageNetMean[channel]) / ImageNetStd[channel]);
                }
            }
        }
        return values;
    }

    private static double Bilinear(DecodedImage image, double x, double y, int channel)
    {
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, image.Width - 1), y1 = Math.Min(y0 + 1, image.Height - 1);
        double fx = x - x0, fy = y - y0;
        double Pixel(int px, int py) => image.Rgba[4 * (py * image.Width + px) + channel];
        return (1 - fy) * ((1 - fx) * Pixel(x0, y0) + fx * Pixel(x1, y0)) + fy * ((1 - fx) * Pixel(x0, y1) + fx * Pixel(x1, y1));
    }
}
