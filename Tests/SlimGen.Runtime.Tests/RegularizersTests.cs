using System;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

public class RegularizersTests
{
    // sum |w| = 10, sum w² = 30.
    private static Tensor Weights(bool requiresGrad = false) =>
        tensor(new float[] { 1, -2, 3, -4 }, [2, 2], requires_grad: requiresGrad);

    [Fact]
    public void L1_IsScaleTimesSumOfMagnitudes()
    {
        using var w = Weights();
        using var loss = Regularizers.L1(w, 0.5);

        Assert.Empty(loss.shape);
        Assert.Equal(5.0f, loss.item<float>(), 6);
    }

    [Fact]
    public void L2_IsScaleTimesHalfTheSumOfSquares()
    {
        using var w = Weights();
        using var loss = Regularizers.L2(w, 0.1);

        Assert.Equal(1.5f, loss.item<float>(), 6);
    }

    [Fact]
    public void L1L2_AddsBothTerms()
    {
        using var w = Weights();
        using var loss = Regularizers.L1L2(w, 0.5, 0.1);

        Assert.Equal(6.5f, loss.item<float>(), 6);
    }

    [Fact]
    public void L2_GradientIsScaleTimesWeight()
    {
        using var w = Weights(requiresGrad: true);
        using var loss = Regularizers.L2(w, 0.1);

        loss.backward();

        Assert.Equal(new[] { 0.1f, -0.2f, 0.3f, -0.4f }, w.grad!.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-7f);
    }

    [Fact]
    public void ZeroScale_GivesZero()
    {
        using var w = Weights();
        using var loss = Regularizers.L1L2(w, 0, 0);

        Assert.Equal(0f, loss.item<float>());
    }

    [Fact]
    public void NegativeScale_IsRejected()
    {
        using var w = Weights();

        Assert.Throws<ArgumentOutOfRangeException>(() => Regularizers.L1(w, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Regularizers.L2(w, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Regularizers.L1L2(w, 0.1, -0.1));
    }
}
