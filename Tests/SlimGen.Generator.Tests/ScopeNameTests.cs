using System.Linq;
using System.Reflection;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Generator.Tests;

/// <summary>Scopes name fields and state_dict keys; a C# keyword is a fine scope (TF-Slim and PyTorch heads are often <c>out</c>).</summary>
public class ScopeNameTests
{
    [Fact]
    public void Keyword_scopes_name_escaped_fields_and_keep_their_state_dict_keys()
    {
        const string Source = """
            using SlimGen;
            using static SlimGen.Op;

            [SlimModel(4)]
            [Repeat(2, FullyConnected, 8, Scope = "class")]
            [FullyConnected(3, Scope = "nameof", WeightDecay = 0.1)]
            [FullyConnected(2, Activation = Act.None, Scope = "out")]
            public partial class Head { }
            """;

        Assert.Empty(ModelAnalysis.Diagnostics(Source, "Head"));
        var (result, output) = GeneratorHarness.Run(Source);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Contains("private readonly global::SlimGen.Layers.FullyConnected @out;", GeneratorHarness.Generated(result, "Head.g.cs"));

        GeneratedModelRunner.WithAssembly(output, assembly =>
        {
            using var scope = NewDisposeScope();
            using var head = (nn.Module<Tensor, Tensor>)assembly.GetType("Head")!.GetConstructors().Single().Invoke([null, null]);
            Assert.Equal(
                ["class.class_1.weight", "class.class_1.bias", "class.class_2.weight", "class.class_2.bias", "nameof.weight", "nameof.bias", "out.weight", "out.bias"],
                head.state_dict().Keys);
            Assert.Equal([5L, 2L], head.forward(randn(5, 4)).shape);
            var loss = (Tensor)head.GetType().GetMethod("RegularizationLoss")!.Invoke(head, null)!;
            Assert.True(loss.item<float>() > 0);
        });
    }
}
