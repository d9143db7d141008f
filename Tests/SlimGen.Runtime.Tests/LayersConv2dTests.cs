using System.Linq;
using SlimGen.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersConv2dTests
{
    private const string File = "conv2d.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesPyTorchWithTensorFlowPadding(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var input = c.Float32("input");
        using var weight = c.Float32("weight");
        using var bias = c.Float32("bias");
        using var conv = new Conv2d(
            inChannels: weight.shape[1], outChannels: weight.shape[0], kernelSize: c.Int("kernel"), stride: c.Int("stride"),
            padding: c.Enum<Pad>("padding"), activation: c.Enum<Act>("activation"));
        LayerFixtures.Load(conv, ("weight", weight), ("bias", bias));

        using var output = conv.call(input);

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Fact]
    public void Normalizer_ReplacesBias_AndNestsBatchNormKeys()
    {
        using var conv = new Conv2d(3, 4, 3, normalizer: Norm.BatchNorm);

        Assert.Null(conv.bias);
        Assert.Equal(
            ["weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"],
            conv.state_dict().Keys.ToArray());
    }

    [Fact]
    public void Normalizer_IsAppliedBeforeActivation()
    {
        using var conv = new Conv2d(2, 3, 1, normalizer: Norm.BatchNorm, activation: Act.None);
        manual_seed(7);
        using var input = randn(4, 2, 5, 5);

        using var output = conv.call(input);

        // Training mode: every channel of the output is standardized over the batch.
        using var mean = output.mean([0, 2, 3]);
        Assert.True(mean.abs().max().item<float>() < 1e-5f);
        Assert.Equal(1L, conv.state_dict()["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void WithoutBias_HasOnlyWeight()
    {
        using var conv = new Conv2d(3, 4, 3, useBias: false);

        Assert.Equal(["weight"], conv.state_dict().Keys.ToArray());
        Assert.Equal([4L, 3, 3, 3], conv.weight.shape);
    }

    [Theory]
    [InlineData(9, 10, 3, 2, Pad.Same, 5, 5)]
    [InlineData(8, 8, 2, 2, Pad.Same, 4, 4)]
    [InlineData(9, 10, 3, 2, Pad.Valid, 4, 4)]
    [InlineData(7, 7, 4, 1, Pad.Same, 7, 7)]
    public void OutputSize_FollowsTensorFlow(int height, int width, int kernel, int stride, Pad padding, long outHeight, long outWidth)
    {
        using var conv = new Conv2d(1, 2, kernel, stride, padding);
        using var input = ones(1, 1, height, width);

        using var output = conv.call(input);

        Assert.Equal([1L, 2, outHeight, outWidth], output.shape);
    }

    [Fact]
    public void DefaultInitializers_AreXavierAndZeros()
    {
        using var conv = new Conv2d(16, 32, 3, weightsInit: Init.Default, biasInit: Init.Default);

        var bound = System.Math.Sqrt(6.0 / (16 * 9 + 32 * 9));
        Assert.True(conv.weight.abs().max().item<float>() <= bound);
        Assert.True(conv.weight.std().item<float>() > bound / 2); // not a constant fill
        Assert.Equal(0f, conv.bias!.abs().max().item<float>());
    }

    [Fact]
    public void MovedToAnotherDtype_UsesTheMovedParameters()
    {
        using var conv = new Conv2d(2, 3, 3, normalizer: Norm.BatchNorm);
        conv.to(ScalarType.Float64);
        using var input = ones(1, 2, 4, 4, ScalarType.Float64);

        using var output = conv.call(input);

        Assert.Equal(ScalarType.Float64, output.dtype);
        Assert.Same(conv.weight, conv.state_dict()["weight"]);
        Assert.All(conv.state_dict().Where(kv => kv.Key != "bn.num_batches_tracked"), kv => Assert.Equal(ScalarType.Float64, kv.Value.dtype));
        Assert.Single(conv.parameters(), p => ReferenceEquals(p, conv.weight));
    }

    [Fact]
    public void BuiltInsideADisposeScope_KeepsItsParameters()
    {
        Conv2d conv;
        using (NewDisposeScope())
        {
            conv = new Conv2d(2, 3, 3);
        }

        using (conv)
        {
            Assert.False(conv.weight.IsInvalid);
            Assert.False(conv.bias!.IsInvalid);
        }
    }

    [Theory]
    [InlineData(0, 4, 3, 1)]
    [InlineData(3, 0, 3, 1)]
    [InlineData(3, 4, 0, 1)]
    [InlineData(3, 4, 3, 0)]
    public void InvalidSizes_AreRejected(long inChannels, long outChannels, int kernel, int stride)
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new Conv2d(inChannels, outChannels, kernel, stride));
    }
}
