using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Generator.Tests;

/// <summary>The generated constructor spells out what each layer resolved to: only what the layer uses, and true.</summary>
public class ConstructorArgumentTests
{
    [Fact]
    public void A_normalized_layer_says_it_has_no_bias()
    {
        var (result, _) = GeneratorHarness.Run("""
            using SlimGen;
            [SlimModel(16)]
            [FullyConnected(8, Normalizer = Norm.BatchNorm, BiasInit = Init.Ones)]
            public partial class Net { }
            """);

        var code = GeneratorHarness.Generated(result, "Net.g.cs");
        Assert.Contains("useBias: false,", code);
        Assert.Contains("normalizer: global::SlimGen.Norm.BatchNorm,", code);
        Assert.DoesNotContain("biasInit", code);
    }

    [Fact]
    public void A_bias_initializer_with_a_scale_gets_the_resolved_stddev()
    {
        // Found while making the arguments true: the stddev was passed only for the weights' initializer.
        var (result, output) = GeneratorHarness.Run("""
            using SlimGen;
            [SlimModel(4)]
            [ArgScope(Op.FullyConnected, WeightsStddev = 0.5)]
            [FullyConnected(4000, BiasInit = Init.Normal)]
            public partial class Net { }
            """);
        Assert.Contains("weightsStddev: 0.5", GeneratorHarness.Generated(result, "Net.g.cs"));

        GeneratedModelRunner.WithAssembly(output, assembly =>
        {
            using var net = (nn.Module<Tensor, Tensor>)assembly.GetType("Net")!.GetConstructors().Single().Invoke([null, null]);
            var bias = net.state_dict()["fully_connected.bias"];
            Assert.InRange(bias.std().item<float>(), 0.45, 0.55);
        });
    }
}
