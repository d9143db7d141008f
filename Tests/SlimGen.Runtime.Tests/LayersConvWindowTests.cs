using System;
using System.Linq;
using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Non-square kernels and strides, PyTorch's symmetric padding, dilation and depthwise convolution, against PyTorch's
/// float64 convolution and autograd (Tests/Fixtures/export_layer_fixtures.py).
/// </summary>
public class LayersConvWindowTests
{
    private const string File = "conv2d_windows.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesPyTorch(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var input = c.Float32("input");
        using var layer = Create(c);

        using var output = layer.call(input);

        LayerFixtures.AssertClose(output, c, "expected");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InputAndWeightGradients_MatchFloat64Autograd(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var scope = NewDisposeScope();
        var input = c.Float32("input").requires_grad_();
        using var layer = Create(c);

        layer.call(input).backward([c.Float32("upstream")]);

        LayerFixtures.AssertClose(input.grad!, c, "expected_input_grad");
        LayerFixtures.AssertClose(layer.weight.grad!, c, "expected_weight_grad");
    }

    [Theory]
    [InlineData(9, 10, 3, 1, 2, Pad.Symmetric, -1, 1, 5, 5)]
    [InlineData(9, 10, 1, 7, 1, Pad.Symmetric, -1, 1, 9, 10)]
    [InlineData(224, 224, 11, 11, 4, Pad.Symmetric, 2, 1, 55, 55)]
    [InlineData(9, 9, 3, 3, 1, Pad.Symmetric, -1, 2, 9, 9)]
    [InlineData(9, 9, 3, 3, 2, Pad.Same, -1, 2, 5, 5)]
    [InlineData(9, 9, 3, 3, 1, Pad.Valid, -1, 3, 3, 3)]
    public void OutputSize_IsTheGeneratorsShapeMath(
        int height, int width, int kernelHeight, int kernelWidth, int stride, Pad padding, int paddingSize, int dilation,
        long outHeight, long outWidth)
    {
        using var conv = new Conv2d(1, 2, (kernelHeight, kernelWidth), stride, padding,
            paddingSize: paddingSize < 0 ? null : paddingSize, dilation: dilation);
        using var depthwise = new DepthwiseConv2d(1, 2, (kernelHeight, kernelWidth), stride, padding,
            paddingSize: paddingSize < 0 ? null : paddingSize, dilation: dilation);
        using var input = ones(1, 1, height, width);

        using var convOutput = conv.call(input);
        using var depthwiseOutput = depthwise.call(input);

        Assert.Equal([1L, 2, outHeight, outWidth], convOutput.shape);
        Assert.Equal([1L, 2, outHeight, outWidth], depthwiseOutput.shape);
        Assert.Equal(outHeight, ShapeMath.OutputSize(height, kernelHeight, stride, padding, dilation, paddingSize));
        Assert.Equal(outWidth, ShapeMath.OutputSize(width, kernelWidth, stride, padding, dilation, paddingSize));
    }

    [Fact]
    public void Depthwise_HasPyTorchsGroupedLayout()
    {
        using var depthwise = new DepthwiseConv2d(inChannels: 8, multiplier: 3, kernelSize: (3, 5), useBias: true);

        Assert.Equal(["weight", "bias"], depthwise.state_dict().Keys.ToArray());
        Assert.Equal([24L, 1, 3, 5], depthwise.weight.shape);
        Assert.Equal([24L], depthwise.bias!.shape);
    }

    [Fact]
    public void Depthwise_InitializesWithTheFanInOfItsTaps()
    {
        manual_seed(5);
        using var depthwise = new DepthwiseConv2d(256, 2, 3, weightsInit: Init.HeNormal);

        // fan_in = 3 × 3: one output sees nine taps of one channel, not nine of all 256.
        double expected = Math.Sqrt(2.0 / 9);
        Assert.InRange(depthwise.weight.std().item<float>(), expected * 0.97, expected * 1.03);
    }

    [Fact]
    public void ConstantBias_AndBatchNormOptions_ReachTheLayer()
    {
        using var conv = new Conv2d(3, 4, 3, biasInit: Init.Constant, biasValue: 0.1);
        using var normalized = new Conv2d(1, 1, 1, normalizer: Norm.BatchNorm, activation: Act.None,
            batchNorm: new BatchNormOptions(Epsilon: 0.25, Momentum: 0.5, Scale: false));
        LayerFixtures.Load(normalized, ("weight", ones(1, 1, 1, 1)));
        using var input = full(2, 1, 2, 2, 2f);

        using var trained = normalized.call(input);
        normalized.eval();
        using var evaluated = normalized.call(input);

        Assert.All(conv.bias!.data<float>().ToArray(), b => Assert.Equal(0.1f, b));
        Assert.Equal(["weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"], normalized.state_dict().Keys.ToArray());
        // Momentum 0.5 from a batch of 2s: the running mean is 1 and the running variance (1 + 0) / 2.
        Assert.Equal(1f, normalized.state_dict()["bn.running_mean"].item<float>());
        Assert.Equal(0.5f, normalized.state_dict()["bn.running_var"].item<float>());
        // Eval: (2 - 1) / sqrt(0.5 + 0.25), with epsilon 0.25 and no scale.
        Assert.All(evaluated.data<float>().ToArray(), y => Assert.Equal(1 / Math.Sqrt(0.75), y, 1e-6));
    }

    [Fact]
    public void ConstantWeights_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, 3, weightsInit: Init.Constant));

        Assert.Contains("biasValue", error.Message);
    }

    [Fact]
    public void PaddingSize_BelongsToSymmetricPaddingOnly()
    {
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, 3, padding: Pad.Same, paddingSize: 1));
        Assert.Throws<ArgumentException>(() => new DepthwiseConv2d(3, 1, 3, padding: Pad.Valid, paddingSize: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(3, 4, 3, padding: Pad.Symmetric, paddingSize: (1, -1)));
    }

    [Theory]
    [InlineData(0, 1, 1, 1)]
    [InlineData(3, 0, 1, 1)]
    [InlineData(3, 1, 0, 1)]
    [InlineData(3, 1, 1, 0)]
    public void InvalidSizes_AreRejected(int kernelWidth, int strideWidth, int dilationWidth, int multiplier)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DepthwiseConv2d(3, multiplier, (3, kernelWidth), stride: (1, strideWidth), dilation: (1, dilationWidth)));
        if (multiplier > 0)
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(3, 4, (3, kernelWidth), stride: (1, strideWidth), dilation: (1, dilationWidth)));
    }

    [Fact]
    public void Size2d_ConvertsFromAnIntAndATuple_AndPrintsHeightByWidth()
    {
        Size2d square = 3, tall = (7, 1);

        Assert.Equal(new Size2d(3, 3), square);
        Assert.Equal(7, tall.Height);
        Assert.Equal(1, tall.Width);
        Assert.Equal("3x3", square.ToString());
        Assert.Equal("7x1", tall.ToString());
    }

    private static WeightedLayer Create(System.Text.Json.JsonElement c)
    {
        var kernel = c.Size("kernel")!.Value;
        var weight = c.Float32("weight");
        WeightedLayer layer = c.Text("kind") == "Depthwise"
            ? new DepthwiseConv2d(
                inChannels: weight.shape[0] / c.Int("multiplier"), multiplier: c.Int("multiplier"), kernelSize: kernel,
                stride: c.Size("stride"), padding: c.Enum<Pad>("padding"), paddingSize: c.Size("padding_size"),
                dilation: c.Size("dilation"), activation: Act.None)
            : new Conv2d(
                inChannels: weight.shape[1], outChannels: weight.shape[0], kernelSize: kernel, stride: c.Size("stride"),
                padding: c.Enum<Pad>("padding"), paddingSize: c.Size("padding_size"), dilation: c.Size("dilation"),
                activation: Act.None);
        LayerFixtures.Load(layer, ("weight", weight), ("bias", c.Float32("bias")));
        return layer;
    }
}
