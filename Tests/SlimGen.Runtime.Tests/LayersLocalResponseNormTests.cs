using System;
using System.Linq;
using SlimGen.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>TensorFlow's local response normalization, which TF-Slim's CifarNet needs, against its formula in float64.</summary>
public class LocalResponseNormTests
{
    [Theory]
    [InlineData(4, 1.0, 0.001 / 9, 0.75)]
    [InlineData(1, 2.0, 0.5, 0.5)]
    public void Lrn_follows_tensorflows_formula_over_the_channels_around_each(int radius, double bias, double alpha, double beta)
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 11, 3, 4) * 3;
        using var lrn = new SlimGen.Layers.LocalResponseNorm(radius, bias, alpha, beta);
        var actual = lrn.call(input).data<float>().ToArray();
        var x = input.to(ScalarType.Float64).data<double>().ToArray();
        int channels = 11, plane = 12;
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < plane; p++)
                {
                    double sum = 0;
                    for (int d = Math.Max(0, c - radius); d <= Math.Min(channels - 1, c + radius); d++)
                        sum += x[(n * channels + d) * plane + p] * x[(n * channels + d) * plane + p];
                    double expected = x[(n * channels + c) * plane + p] / Math.Pow(bias + alpha * sum, beta);
                    Assert.True(Math.Abs(actual[(n * channels + c) * plane + p] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)));
                }
    }

    [Fact]
    public void CifarNet_has_tf_slims_layout_and_runs()
    {
        Assert.Equal(1_387_786, CifarNet.Summary.TotalParameters);
        using var scope = NewDisposeScope();
        using var model = new CifarNet();
        model.eval();
        Assert.Equal([2L, 10], model.call(randn(2, 3, 32, 32)).shape);
        Assert.Equal([3136L], CifarNet.Summary.Layers.Single(l => l.Scope == "flatten").OutputShape);
    }
}
