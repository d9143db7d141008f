using System;
using System.Linq;

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
    /// torchvision's ImageNet evaluation transform: resize the shorter side to 256 with antialiased bilinear
    /// interpolation (<c>transforms.Resize(256)</c>), crop the center 224x224, scale to [0, 1] and normalize each channel
    /// with ImageNet's mean and standard deviation; channels first.
    /// </summary>
    public static float[] ImageNet(DecodedImage image)
    {
        const int Resized = 256, Crop = 224;
        // torchvision: the shorter side becomes 256, the longer one int(256 * long / short).
        var (width, height) = image.Width <= image.Height
            ? (Resized, (int)((long)Resized * image.Height / image.Width))
            : ((int)((long)Resized * image.Width / image.Height), Resized);
        if (width < Crop || height < Crop)
            throw new BadRequestException(422, $"The image is {image.Width}x{image.Height}, too narrow to crop 224x224 from after resizing.");
        var horizontal = ResampleWeights(image.Width, width);
        var vertical = ResampleWeights(image.Height, height);
        int left = (int)Math.Round((width - Crop) / 2.0), top = (int)Math.Round((height - Crop) / 2.0);

        // Horizontal pass over every source row, for the crop's columns only; then the vertical pass for its rows.
        var rows = new float[image.Height, Crop, 3];
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < Crop; x++)
            {
                var (first, weights) = horizontal[left + x];
                for (int channel = 0; channel < 3; channel++)
                {
                    float sum = 0;
                    for (int k = 0; k < weights.Length; k++)
                        sum += weights[k] * image.Rgba[4 * (y * image.Width + first + k) + channel];
                    rows[y, x, channel] = sum;
                }
            }
        }
        var values = new float[3 * Crop * Crop];
        for (int y = 0; y < Crop; y++)
        {
            var (first, weights) = vertical[top + y];
            for (int x = 0; x < Crop; x++)
            {
                for (int channel = 0; channel < 3; channel++)
                {
                    float sum = 0;
                    for (int k = 0; k < weights.Length; k++)
                        sum += weights[k] * rows[first + k, x, channel];
                    values[(channel * Crop + y) * Crop + x] = (sum / 255f - ImageNetMean[channel]) / ImageNetStd[channel];
                }
            }
        }
        return values;
    }

    /// <summary>
    /// For each output pixel, the first input pixel and the weights of the antialiased bilinear (triangle) filter, as
    /// PIL and torchvision's <c>antialias=True</c> compute them: the filter widens by the downscaling factor.
    /// </summary>
    private static (int First, float[] Weights)[] ResampleWeights(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double support = Math.Max(scale, 1.0);
        var result = new (int, float[])[outSize];
        for (int i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            int first = Math.Max(0, (int)(center - support + 0.5));
            int last = Math.Min(inSize, (int)(center + support + 0.5));
            var weights = new double[last - first];
            for (int j = first; j < last; j++)
                weights[j - first] = Math.Max(0, 1 - Math.Abs((j - center + 0.5) / support));
            double total = weights.Sum();
            result[i] = (first, weights.Select(w => (float)(w / total)).ToArray());
        }
        return result;
    }
}
