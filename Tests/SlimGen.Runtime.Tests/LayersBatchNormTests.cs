using System;
using System.Linq;
using SlimGen.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersBatchNormTests
{
    private const string File = "batch_norm.json";

    private const string NoScaleFile = "batch_norm_no_scale.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    public static TheoryData<string> NoScaleCases => LayerFixtures.CaseNames(NoScaleFile);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesFormula_AndUpdatesRunningStatistics(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var input = c.Float32("input");
        using var bn = new BatchNorm(input.shape[1], epsilon: c.Double("epsilon"), momentum: c.Double("momentum"));
        LayerFixtures.Load(bn,
            ("weight", c.Float32("weight")), ("bias", c.Float32("bias")),
            ("running_mean", c.Float32("running_mean")), ("running_var", c.Float32("running_var")));
        bn.train(c.GetProperty("training").GetBoolean());

        using var output = bn.call(input);

        var state = bn.state_dict();
        LayerFixtures.AssertClose(output, c, "expected");
        LayerFixtures.AssertClose(state["running_mean"], c, "expected_running_mean");
        LayerFixtures.AssertClose(state["running_var"], c, "expected_running_var");
        Assert.Equal(c.Int("expected_num_batches_tracked"), state["num_batches_tracked"].item<long>());
    }

    [Theory]
    [MemberData(nameof(NoScaleCases))]
    public void WithoutScale_NormalizesWithUnitGamma(string name)
    {
        var c = LayerFixtures.Case(NoScaleFile, name);
        using var input = c.Float32("input");
        using var bn = new BatchNorm(input.shape[1], epsilon: c.Double("epsilon"), momentum: c.Double("momentum"), scale: false);
        LayerFixtures.Load(bn,
            ("bias", c.Float32("bias")), ("running_mean", c.Float32("running_mean")), ("running_var", c.Float32("running_var")));
        bn.train(c.GetProperty("training").GetBoolean());

        using var output = bn.call(input);

        var state = bn.state_dict();
        Assert.Equal(["bias", "running_mean", "running_var", "num_batches_tracked"], state.Keys.ToArray());
        Assert.Equal(["bias"], bn.named_parameters().Select(p => p.name).ToArray());
        LayerFixtures.AssertClose(output, c, "expected");
        LayerFixtures.AssertClose(state["running_mean"], c, "expected_running_mean");
        LayerFixtures.AssertClose(state["running_var"], c, "expected_running_var");
    }

    [Fact]
    public void WithoutScale_MovesToAnotherDtype()
    {
        using var bn = new BatchNorm(3, scale: false);
        bn.to(ScalarType.Float64);
        using var input = randn(4, 3, ScalarType.Float64);

        using var output = bn.call(input);

        Assert.Equal(ScalarType.Float64, output.dtype);
        Assert.All(bn.state_dict().Where(kv => kv.Key != "num_batches_tracked"), kv => Assert.Equal(ScalarType.Float64, kv.Value.dtype));
    }

    [Fact]
    public void StateDict_HasPyTorchNamesAndInitialValues()
    {
        using var bn = new BatchNorm(3);

        var state = bn.state_dict();

        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], state.Keys.ToArray());
        Assert.Equal(new float[] { 1, 1, 1 }, state["weight"].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 0 }, state["bias"].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 0 }, state["running_mean"].data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1, 1 }, state["running_var"].data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, state["num_batches_tracked"].dtype);
        Assert.Empty(state["num_batches_tracked"].shape);
    }

    [Fact]
    public void Activation_IsAppliedAfterNormalization()
    {
        using var bn = new BatchNorm(2, activation: Act.Relu);
        manual_seed(3);
        using var input = randn(16, 2);

        using var output = bn.call(input);

        Assert.True(output.min().item<float>() >= 0);
        Assert.True(output.max().item<float>() > 0);
    }

    [Theory]
    [InlineData(new long[] { 4 })]
    [InlineData(new long[] { 4, 2 })]
    [InlineData(new long[] { 4, 3, 2, 2, 2 })]
    public void WrongShape_IsRejectedWithTheExpectedShapes(long[] shape)
    {
        using var bn = new BatchNorm(3);
        using var input = ones(shape);

        var error = Assert.Throws<ArgumentException>(() => bn.call(input));

        Assert.Contains("[N, 3, H, W]", error.Message);
    }

    [Fact]
    public void TrainingOnOneValuePerChannel_IsRejected()
    {
        using var bn = new BatchNorm(3);
        using var input = ones(1, 3);

        Assert.Throws<ArgumentException>(() => bn.call(input));
        bn.eval();
        using var output = bn.call(input);
    }

    [Theory]
    [InlineData(0, 1e-5, 0.1)]
    [InlineData(3, 0, 0.1)]
    [InlineData(3, 1e-5, 1.5)]
    [InlineData(3, 1e-5, double.NaN)]
    public void InvalidArguments_AreRejected(long features, double epsilon, double momentum)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(features, epsilon, momentum));
    }
}
