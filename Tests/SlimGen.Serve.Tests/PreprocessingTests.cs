using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace SlimGen.Serve.Tests;

/// <summary>
/// The service's ImageNet preprocessing against torchvision's (Resize(256) antialiased, CenterCrop(224), Normalize),
/// exported by Tests/Fixtures/export_serve_fixtures.py.
/// </summary>
public class PreprocessingTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, Fixture().GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImageNet_MatchesTorchvisionsEvaluationTransform(int index)
    {
        var c = Fixture()[index];
        int width = c.GetProperty("width").GetInt32(), height = c.GetProperty("height").GetInt32();
        var rgba = new byte[4 * width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int channel = 0; channel < 4; channel++)
                    rgba[4 * (y * width + x) + channel] = channel == 3 ? (byte)255 : (byte)((x * 7 + y * 13 + channel * 61 + x * y % 17) % 256);

        var values = Preprocessing.ImageNet(new DecodedImage(width, height, rgba));

        Assert.Equal(3 * 224 * 224, values.Length);
        var positions = c.GetProperty("positions").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        var expected = c.GetProperty("values").EnumerateArray().Select(v => double.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < positions.Length; i++)
            Assert.True(System.Math.Abs(values[positions[i]] - expected[i]) < 1e-4, $"value {positions[i]}: expected {expected[i]}, got {values[positions[i]]}");
        var means = c.GetProperty("channel_means").EnumerateArray().Select(v => double.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (int channel = 0; channel < 3; channel++)
            Assert.Equal(means[channel], values.Skip(channel * 224 * 224).Take(224 * 224).Average(v => (double)v), 4);
    }

    [Fact]
    public void FashionMnist_RefusesOtherSizes_AndScalesGrayToUnit()
    {
        var white = Enumerable.Repeat((byte)255, 4 * 28 * 28).ToArray();

        Assert.All(Preprocessing.FashionMnist(new DecodedImage(28, 28, white)), value => Assert.Equal(1f, value, 5));
        var error = Assert.Throws<BadRequestException>(() => Preprocessing.FashionMnist(new DecodedImage(32, 28, new byte[4 * 32 * 28])));
        Assert.Equal(422, error.StatusCode);
    }

    private static JsonElement Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "Fixtures", "imagenet_preprocessing.json"))).RootElement;
}
