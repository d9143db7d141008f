using System;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class InitializersTests
{
    // A conv kernel [out 256, in 128, 3, 3]: fan_in = 128 * 9 = 1152, fan_out = 256 * 9 = 2304.
    private static readonly long[] KernelShape = [256, 128, 3, 3];
    private const double FanIn = 1152, FanOut = 2304;

    // Standard deviation of a standard normal truncated to [-2, 2].
    private const double TruncatedStdRatio = 0.87962566103423978;

    public static TheoryData<Init, double, double, double> Distributions => new()
    {
        // init, stddev argument, expected standard deviation, bound on |x| (0: unbounded)
        { Init.Xavier, 0, Math.Sqrt(6 / (FanIn + FanOut)) / Math.Sqrt(3), Math.Sqrt(6 / (FanIn + FanOut)) },
        { Init.XavierNormal, 0, Math.Sqrt(2 / (FanIn + FanOut)), 0 },
        { Init.HeNormal, 0, Math.Sqrt(2 / FanIn), 0 },
        { Init.HeUniform, 0, Math.Sqrt(6 / FanIn) / Math.Sqrt(3), Math.Sqrt(6 / FanIn) },
        { Init.TruncatedNormal, 0.5, 0.5 * TruncatedStdRatio, 1.0 },
        { Init.Normal, 0.02, 0.02, 0 },
        { Init.Uniform, 0.05, 0.05 / Math.Sqrt(3), 0.05 },
        // TensorFlow's VarianceScaling(2.0, fan_in, truncated_normal): the kept values have variance 2 / fan_in.
        { Init.VarianceScaling, 0, Math.Sqrt(2 / FanIn), 2 * Math.Sqrt(2 / FanIn) / TruncatedStdRatio },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void RandomInitializers_HaveTheExpectedStatistics(Init init, double stddev, double expectedStd, double bound)
    {
        manual_seed(42);
        using var weight = new Parameter(empty(KernelShape));

        Initializers.Initialize(weight, init, stddev);

        using var values = weight.detach().to_type(ScalarType.Float64);
        var mean = values.mean().item<double>();
        var std = values.std().item<double>();
        var n = values.numel();
        Assert.InRange(mean, -5 * expectedStd / Math.Sqrt(n), 5 * expectedStd / Math.Sqrt(n));
        Assert.InRange(std, expectedStd * 0.99, expectedStd * 1.01);
        if (bound > 0)
            Assert.True(values.abs().max().item<double>() <= bound);
    }

    [Fact]
    public void TruncatedNormal_NeverGoesBeyondTwoStddev_AndDoesNotPileUpAtTheBounds()
    {
        manual_seed(43);
        using var weight = empty(1_000_000);

        Initializers.Initialize(weight, Init.TruncatedNormal, 0.1);

        using var magnitude = weight.abs();
        Assert.True(magnitude.max().item<float>() <= 0.2f);
        Assert.True(magnitude.max().item<float>() > 0.19f); // the tails are there...
        using var atBound = magnitude.ge(0.2f * (1 - 1e-6f));
        Assert.True(atBound.sum().item<long>() < 100); // ...but not clipped onto the bound (clipping would put ~45,500 there)
    }

    [Theory]
    [InlineData(Init.Zeros, 0f)]
    [InlineData(Init.Ones, 1f)]
    public void ConstantInitializers_FillEveryElement(Init init, float value)
    {
        using var tensor = randn(4, 5);

        Initializers.Initialize(tensor, init);

        Assert.All(tensor.data<float>().ToArray(), x => Assert.Equal(value, x));
    }

    [Fact]
    public void Constant_FillsExactlyTheValue_AndNeedsOne()
    {
        using var tensor = randn(4, 5);

        Initializers.Initialize(tensor, Init.Constant, value: 0.1);

        Assert.All(tensor.data<float>().ToArray(), x => Assert.Equal(0.1f, x));
        var error = Assert.Throws<ArgumentException>(() => Initializers.Initialize(tensor, Init.Constant));
        Assert.Contains("biasValue", error.Message);
    }

    [Fact]
    public void FansOfADepthwiseKernel_AreItsTaps()
    {
        manual_seed(45);
        using var weight = empty(512, 1, 3, 3); // [in × multiplier, 1, kH, kW]: fan_in = 9

        Initializers.Initialize(weight, Init.VarianceScaling);

        using var values = weight.to_type(ScalarType.Float64);
        double expectedStd = Math.Sqrt(2.0 / 9);
        Assert.InRange(values.std().item<double>(), expectedStd * 0.97, expectedStd * 1.03);
        Assert.True(values.abs().max().item<double>() <= 2 * expectedStd / TruncatedStdRatio);
    }

    [Fact]
    public void FansOfADenseWeight_AreInputsAndOutputs()
    {
        manual_seed(44);
        using var weight = empty(1000, 400); // [out, in]: fan_in = 400

        Initializers.Initialize(weight, Init.HeNormal);

        Assert.InRange(weight.std().item<float>(), Math.Sqrt(2.0 / 400) * 0.99, Math.Sqrt(2.0 / 400) * 1.01);
    }

    [Theory]
    [InlineData(Init.Xavier)]
    [InlineData(Init.XavierNormal)]
    [InlineData(Init.HeNormal)]
    [InlineData(Init.HeUniform)]
    [InlineData(Init.VarianceScaling)]
    public void FanBasedInitializers_RejectVectors(Init init)
    {
        using var bias = empty(10);

        var error = Assert.Throws<ArgumentException>(() => Initializers.Initialize(bias, init));

        Assert.Contains("at least 2 dimensions", error.Message);
        Assert.Contains("[10]", error.Message);
    }

    [Fact]
    public void Default_IsRejected_BecauseLayersResolveIt()
    {
        using var weight = empty(3, 3);

        Assert.Throws<ArgumentException>(() => Initializers.Initialize(weight, Init.Default));
    }

    [Fact]
    public void NegativeStddev_IsRejected()
    {
        using var weight = empty(3, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Initialize(weight, Init.Normal, -1));
    }
}
