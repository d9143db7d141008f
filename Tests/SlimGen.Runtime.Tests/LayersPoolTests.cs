using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersPoolTests
{
    private const string File = "pool2d.json";
    private const string SymmetricFile = "pool2d_symmetric.json";
    private const string GlobalFile = "global_avg_pool.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    public static TheoryData<string> SymmetricCases => LayerFixtures.CaseNames(SymmetricFile);

    public static TheoryData<string> GlobalCases => LayerFixtures.CaseNames(GlobalFile);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesWindowByWindowReference(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var input = c.Float32("input");
        using nn.Module<Tensor, Tensor> pool = c.Text("kind") == "Max"
            ? new MaxPool2d(c.Int("kernel"), c.Int("stride"), c.Enum<Pad>("padding"))
            : new AvgPool2d(c.Int("kernel"), c.Int("stride"), c.Enum<Pad>("padding"));

        using var output = pool.call(input);

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Theory]
    [MemberData(nameof(SymmetricCases))]
    public void Symmetric_MatchesPyTorch_MaxOverRealCells_AverageCountingPadding(string name)
    {
        var c = LayerFixtures.Case(SymmetricFile, name);
        using var input = c.Float32("input");
        var kernel = c.Size("kernel")!.Value;
        using nn.Module<Tensor, Tensor> pool = c.Text("kind") == "Max"
            ? new MaxPool2d(kernel, c.Size("stride"), Pad.Symmetric, c.Size("padding_size"))
            : new AvgPool2d(kernel, c.Size("stride"), Pad.Symmetric, c.Size("padding_size"));

        using var output = pool.call(input);

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Theory]
    [MemberData(nameof(GlobalCases))]
    public void GlobalAvgPool_IsTheMeanOverHeightAndWidth(string name)
    {
        var c = LayerFixtures.Case(GlobalFile, name);
        using var input = c.Float32("input");
        using var pool = new GlobalAvgPool2d();

        using var output = pool.call(input);

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Fact]
    public void GlobalAvgPool_RejectsInputWithoutHeightAndWidth()
    {
        using var pool = new GlobalAvgPool2d();
        using var input = ones(2, 3);

        var error = Assert.Throws<System.ArgumentException>(() => pool.call(input));

        Assert.Contains("[N, C, H, W]", error.Message);
    }

    [Fact]
    public void SymmetricPadding_BeyondHalfTheWindow_IsRejected()
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new MaxPool2d(3, 1, Pad.Symmetric, paddingSize: 2));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new AvgPool2d((1, 3), 1, Pad.Symmetric, paddingSize: (1, 1)));
        Assert.Throws<System.ArgumentException>(() => new AvgPool2d(3, 1, Pad.Same, paddingSize: 1));
    }

    [Fact]
    public void Defaults_AreStrideTwoValid()
    {
        using var max = new MaxPool2d(2);
        using var avg = new AvgPool2d(3);
        using var input = ones(1, 1, 7, 7);

        using var maxOutput = max.call(input);
        using var avgOutput = avg.call(input);

        Assert.Equal([1L, 1, 3, 3], maxOutput.shape);
        Assert.Equal([1L, 1, 3, 3], avgOutput.shape);
    }

    [Fact]
    public void AvgPool_AsymmetricSame_InFloat64_CountsOnlyRealCells()
    {
        using var pool = new AvgPool2d(2, 2, Pad.Same);
        using var input = ones(1, 1, 3, 3, ScalarType.Float64);

        using var output = pool.call(input);

        // Windows of 4, 2, 2 and 1 real cells, every one averaging to exactly 1.
        Assert.Equal(ScalarType.Float64, output.dtype);
        Assert.Equal(new double[] { 1, 1, 1, 1 }, output.data<double>().ToArray());
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(2, 0)]
    public void InvalidSizes_AreRejected(int kernel, int stride)
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new MaxPool2d(kernel, stride));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new AvgPool2d(kernel, stride));
    }
}

/// <summary>
/// A SAME max pool whose extra cell is at the end runs as PyTorch's ceil_mode with the leading padding (no padded
/// copy): its windows must be TensorFlow's, checked against maxima taken in C# over every window.
/// </summary>
public class MaxPoolSameWindowTests
{
    [Theory]
    [InlineData(3, 2, 112)]
    [InlineData(3, 2, 9)]
    [InlineData(2, 2, 7)]
    [InlineData(3, 3, 10)]
    [InlineData(3, 2, 6)]
    public void Same_max_pool_takes_tensorflows_windows(int kernel, int stride, int size)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var input = TorchSharp.torch.randn(1, 2, size, size + 1);
        using var pool = new SlimGen.Layers.MaxPool2d(kernel, stride, Pad.Same);
        var output = pool.call(input);

        var (top, _) = ShapeMath.SamePadding(size, kernel, stride);
        var (left, _) = ShapeMath.SamePadding(size + 1, kernel, stride);
        long rows = ShapeMath.OutputSize(size, kernel, stride, Pad.Same), columns = ShapeMath.OutputSize(size + 1, kernel, stride, Pad.Same);
        Assert.Equal([1L, 2, rows, columns], output.shape);
        var values = input.data<float>().ToArray();
        var actual = output.data<float>().ToArray();
        for (int c = 0; c < 2; c++)
            for (long i = 0; i < rows; i++)
                for (long j = 0; j < columns; j++)
                {
                    float max = float.NegativeInfinity;
                    for (long y = i * stride - top; y < i * stride - top + kernel; y++)
                        for (long x = j * stride - left; x < j * stride - left + kernel; x++)
                            if (y >= 0 && y < size && x >= 0 && x < size + 1)
                                max = System.Math.Max(max, values[(c * size + y) * (size + 1) + x]);
                    Assert.Equal(max, actual[(c * rows + i) * columns + j]);
                }
    }
}
