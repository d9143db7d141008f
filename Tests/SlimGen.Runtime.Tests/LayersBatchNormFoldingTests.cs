using System;
using System.Linq;
using SlimGen.Layers;
using SlimGen.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// <see cref="BatchNormFolding.FoldBatchNorm"/> on the zoo's blocks (nested layers, shortcuts, branches, depthwise
/// convolutions) with non-trivial batch-norm statistics: the folded float32 block against the unfolded block in float64.
/// </summary>
public class LayersBatchNormFoldingTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Blocks => new("bottleneck_downsample", "basic_block", "inception", "inverted_residual", "depthwise_projection");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_folded_block_gives_the_unfolded_blocks_eval_outputs_against_float64(string name)
    {
        using var scope = NewDisposeScope();
        using var block = Block(name, ScalarType.Float32);
        RandomizeBatchNorms(block);
        block.eval();
        using var reference = Block(name, ScalarType.Float64);
        reference.load_state_dict(block.state_dict().ToDictionary(p => p.Key, p => p.Value.to(ScalarType.Float64)));
        reference.eval();
        var input = randn(2, block is InceptionModule ? 8 : 16, 9, 9);
        int batchNorms = block.modules().OfType<WeightedLayer>().Count();

        using (no_grad())
        {
            var expected = reference.call(input.to(ScalarType.Float64));
            AssertClose(expected, block.call(input), "unfolded float32");

            Assert.Equal(batchNorms, block.FoldBatchNorm());

            AssertClose(expected, block.call(input), "folded float32");
        }
        Assert.All(block.modules().OfType<WeightedLayer>(), layer =>
        {
            Assert.True(layer.IsBatchNormFolded);
            Assert.NotNull(layer.bias);
        });
        var keys = block.state_dict().Keys.ToList();
        Assert.DoesNotContain(keys, key => key.Contains(".bn.", StringComparison.Ordinal));
        Assert.Equal(batchNorms, keys.Count(key => key.EndsWith(".bias", StringComparison.Ordinal)));
        Assert.Equal(0, block.FoldBatchNorm());
    }

    [Fact]
    public void A_model_in_training_mode_is_refused_and_left_as_it_was()
    {
        using var scope = NewDisposeScope();
        using var block = new Bottleneck(inChannels: 16, depth: 4);
        block.train();
        var keys = block.state_dict().Keys.ToList();

        var error = Assert.Throws<InvalidOperationException>(() => block.FoldBatchNorm());

        Assert.Contains("eval()", error.Message, StringComparison.Ordinal);
        Assert.Equal(keys, block.state_dict().Keys.ToList());
        Assert.All(block.modules().OfType<WeightedLayer>(), layer => Assert.False(layer.IsBatchNormFolded));
    }

    [Fact]
    public void A_submodule_left_in_training_mode_is_refused()
    {
        using var scope = NewDisposeScope();
        using var block = new Bottleneck(inChannels: 16, depth: 4);
        block.eval();
        block.modules().OfType<WeightedLayer>().Last().train();

        Assert.Throws<InvalidOperationException>(() => block.FoldBatchNorm());
    }

    [Fact]
    public void A_folded_model_refuses_training_mode_but_not_eval_mode()
    {
        using var scope = NewDisposeScope();
        using var block = new InvertedResidual(inChannels: 16, expansion: 6, depth: 16);
        block.eval();
        block.FoldBatchNorm();

        var error = Assert.Throws<InvalidOperationException>(() => block.train());

        Assert.Contains("FoldBatchNorm", error.Message, StringComparison.Ordinal);
        block.eval();
        Assert.All(block.modules().OfType<WeightedLayer>(), layer => Assert.False(layer.training));
    }

    [Fact]
    public void An_unfolded_model_keeps_its_batch_norms_and_trains()
    {
        using var scope = NewDisposeScope();
        using var block = new Bottleneck(inChannels: 16, depth: 4);
        block.eval();
        block.train();

        Assert.True(block.modules().OfType<WeightedLayer>().All(layer => layer.training && !layer.IsBatchNormFolded));
        Assert.Contains(block.state_dict().Keys, key => key.EndsWith(".bn.running_var", StringComparison.Ordinal));
    }

    private static nn.Module<Tensor, Tensor> Block(string name, ScalarType dtype) => name switch
    {
        "bottleneck_downsample" => new Bottleneck(inChannels: 16, depth: 8, stride: 2, dtype: dtype),
        "basic_block" => new BasicBlock(inChannels: 16, depth: 16, dtype: dtype),
        "inception" => new InceptionModule(inChannels: 8, ch1x1: 4, ch3x3red: 4, ch3x3: 6, ch5x5red: 2, ch5x5: 4, poolProj: 4, dtype: dtype),
        "inverted_residual" => new InvertedResidual(inChannels: 16, expansion: 6, depth: 16, dtype: dtype),
        "depthwise_projection" => new DepthwiseProjection(inChannels: 16, depth: 8, dtype: dtype),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Scales, shifts and running statistics far from their initial 1, 0, 0, 1, so that folding changes the weights.</summary>
    private static void RandomizeBatchNorms(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (key, tensor) in model.state_dict().Where(p => p.Key.Contains(".bn.", StringComparison.Ordinal)))
        {
            switch (key[(key.LastIndexOf('.') + 1)..])
            {
                case "weight":
                    tensor.uniform_(0.5, 1.5);
                    break;
                case "bias":
                case "running_mean":
                    tensor.normal_(0, 0.5);
                    break;
                case "running_var":
                    tensor.uniform_(0.3, 3);
                    break;
            }
        }
    }

    /// <summary>Within <see cref="Tolerance"/> of the largest expected magnitude, element by element.</summary>
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(expected.abs().max().item<double>(), 1e-6);
        double error = (actual.to(ScalarType.Float64) - expected).abs().max().item<double>();
        Assert.True(error <= Tolerance * scale, $"{what}: max |difference| {error:G3} against a largest value of {scale:G3}");
    }
}
