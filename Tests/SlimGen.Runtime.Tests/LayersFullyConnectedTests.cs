using System.Linq;
using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersFullyConnectedTests
{
    private const string File = "fully_connected.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesPyTorch(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var input = c.Float32("input");
        using var weight = c.Float32("weight");
        using var bias = c.Float32("bias");
        using var fc = new FullyConnected(weight.shape[1], weight.shape[0], activation: c.Enum<Act>("activation"));
        LayerFixtures.Load(fc, ("weight", weight), ("bias", bias));

        using var output = fc.call(input);

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Fact]
    public void Weight_HasPyTorchLayout()
    {
        using var fc = new FullyConnected(5, 3);

        Assert.Equal([3L, 5], fc.weight.shape);
        Assert.Equal([3L], fc.bias!.shape);
        Assert.Equal(["weight", "bias"], fc.state_dict().Keys.ToArray());
    }

    [Fact]
    public void Normalizer_NormalizesOverFeatures_AndReplacesBias()
    {
        using var fc = new FullyConnected(6, 4, activation: Act.None, normalizer: Norm.BatchNorm);
        manual_seed(11);
        using var input = randn(32, 6) * 3 + 1;

        using var output = fc.call(input);

        Assert.Null(fc.bias);
        Assert.Equal(
            ["weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"],
            fc.state_dict().Keys.ToArray());
        using var mean = output.mean([0]);
        Assert.True(mean.abs().max().item<float>() < 1e-5f);
    }
}
