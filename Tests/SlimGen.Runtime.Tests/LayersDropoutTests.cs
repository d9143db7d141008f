using System;
using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class LayersDropoutTests
{
    [Fact]
    public void Eval_IsIdentity()
    {
        using var dropout = new Dropout(0.5);
        dropout.eval();
        manual_seed(1);
        using var input = randn(64, 32);

        using var output = dropout.call(input);

        Assert.Equal(input.data<float>().ToArray(), output.data<float>().ToArray());
    }

    [Fact]
    public void Training_ZeroesOrRescalesEachElement_KeepingAboutOneMinusRate()
    {
        const double rate = 0.3;
        using var dropout = new Dropout(rate);
        manual_seed(2);
        using var input = rand(1000, 1000) + 0.5; // no zeros in the input, so a zero in the output was dropped

        using var output = dropout.call(input);

        using var kept = output.ne(0);
        using var rescaled = input / (1 - rate);
        using var keptOutput = output.masked_select(kept);
        using var keptExpected = rescaled.masked_select(kept);
        using var keptShare = kept.to_type(ScalarType.Float64).mean();
        var keptFraction = keptShare.item<double>();
        Assert.True(keptOutput.allclose(keptExpected, rtol: 1e-6, atol: 0));
        Assert.InRange(keptFraction, 1 - rate - 0.005, 1 - rate + 0.005);
    }

    [Fact]
    public void ZeroRate_KeepsEverythingInTraining()
    {
        using var dropout = new Dropout(0);
        using var input = ones(10, 10);

        using var output = dropout.call(input);

        Assert.Equal(input.data<float>().ToArray(), output.data<float>().ToArray());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void RateOutsideZeroToOne_IsRejected(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate));
    }
}
