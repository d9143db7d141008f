using System;
using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// The workaround for CPUs whose oneDNN convolutions are wrong for channel counts off its block size: the check that
/// finds the defect, and the padded convolution, against float64 (which does not go through oneDNN).
/// </summary>
public class ConvolutionTests
{
    private const ConvolutionDefects Both = ConvolutionDefects.ForwardInChannels | ConvolutionDefects.InputGradientOutChannels;

    public static TheoryData<int, int, int, int, int, int, int> TailConfigurations => new()
    {
        // batch, in, out, kernel, stride, dilation, groups
        { 2, 20, 24, 3, 1, 1, 1 },
        { 2, 12, 4, 3, 2, 1, 1 },
        { 1, 24, 17, 5, 1, 1, 1 },
        { 8, 33, 31, 1, 2, 1, 1 },
        { 2, 3, 20, 3, 1, 1, 1 },
        { 2, 40, 40, 3, 2, 1, 1 },
        { 2, 20, 18, 3, 1, 2, 1 },
        { 1, 17, 33, 3, 2, 3, 1 },
        // Grouped: F.conv2d as it is (zero channels would shift the groups), still right.
        { 2, 20, 40, 3, 1, 1, 20 },
        { 1, 18, 18, 3, 2, 2, 18 },
    };

    [Theory]
    [MemberData(nameof(TailConfigurations))]
    public void PaddedConvolution_MatchesFloat64_WithAllGradients(
        int batch, int inChannels, int outChannels, int kernel, int stride, int dilation, int groups)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var input = randn(batch, inChannels, 9, 9, dtype: float64);
        var weight = randn(outChannels, inChannels / groups, kernel, kernel, dtype: float64);
        var bias = randn(outChannels, dtype: float64);
        int pad = dilation * (kernel / 2), size = (9 + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
        var upstream = randn(batch, outChannels, size, size, dtype: float64);
        long[] strides = [stride, stride], padding = [pad, pad], dilations = [dilation, dilation];

        var expected = Gradients(input, weight, bias, upstream,
            (x, w, b) => F.conv2d(x, w, b, strides: strides, padding: padding, dilation: dilations, groups: groups));
        var actual = Gradients(input.to(float32), weight.to(float32), bias.to(float32), upstream.to(float32),
            (x, w, b) => Convolution.Conv2d(x, w, b, strides, padding, dilations, groups, Both));

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].shape, actual[i].shape);
            double error = (actual[i].to(float64) - expected[i]).abs().max().item<double>() / expected[i].abs().max().item<double>();
            Assert.True(error < 1e-5, $"tensor {i} (output, input, weight, bias gradient): relative error {error}");
        }
    }

    [Fact]
    public void PaddedConvolution_CutsTheOutputBackToItsRealChannels_Contiguous()
    {
        using var scope = NewDisposeScope();
        var input = randn(2, 20, 6, 6).requires_grad_();
        var output = Convolution.Conv2d(input, randn(12, 20, 3, 3), null, [1, 1], [1, 1], [1, 1], 1, Both);

        Assert.Equal([2, 12, 6, 6], output.shape);
        Assert.True(output.is_contiguous());
    }

    [Fact]
    public void Check_FindsAForwardDefect_AndPaddingFixesIt()
    {
        // Wrong output for in-channels above 16 and not a multiple of 16, as oneDNN 3.7 computes on some AVX-512 CPUs.
        ConvolutionCheck.Convolve wrong = (input, weight) =>
        {
            var output = ExactConv2d(input, weight);
            long inChannels = weight.shape[1];
            return inChannels > 16 && inChannels % 16 != 0 ? output * 1.2 : output;
        };

        Assert.Equal(ConvolutionDefects.ForwardInChannels, ConvolutionCheck.Find(wrong));
        // Padding for the forward defect gives right outputs with this CPU's own kernels, whatever else they get wrong.
        ConvolutionCheck.Convolve padded = (input, weight) =>
            Convolution.Conv2d(input, weight, null, [1, 1], [1, 1], [1, 1], 1, ConvolutionDefects.ForwardInChannels);
        Assert.False(ConvolutionCheck.Find(padded).HasFlag(ConvolutionDefects.ForwardInChannels));
        // The check verifies padding with the real kernels. Where their input gradients are wrong too (AMD EPYC with
        // AVX-512 BF16), padding for the fake's defect alone fails that, and the check would turn oneDNN off for the
        // whole test process, changing the numerics of every later test.
        if (RealKernelsHaveAnInputGradientDefect())
            return;

        var state = ConvolutionCheck.Run(ConvolutionPolicy.Checked, wrong);

        Assert.Equal(ConvolutionDefects.ForwardInChannels, state.Defects);
        Assert.Equal(ConvolutionWorkaround.PadTailChannels, state.Workaround);
        Assert.True(state.Correct);
        Assert.Equal(ConvolutionDefects.ForwardInChannels, state.ActiveDefects);
        Assert.Contains("layers pad them to multiples of 16", state.ToString());
    }

    [Fact]
    public void Check_FindsAnInputGradientDefect_ThatLeavesTheOutputRight()
    {
        // Adds zero to the output but a constant to the input gradient when out-channels are off the 8-channel block.
        ConvolutionCheck.Convolve wrong = (input, weight) =>
        {
            var output = ExactConv2d(input, weight);
            return weight.shape[0] % 8 != 0 ? output + (input - input.detach()).sum() * 0.5 : output;
        };

        Assert.Equal(ConvolutionDefects.InputGradientOutChannels, ConvolutionCheck.Find(wrong));
    }

    [Fact]
    public void Check_OfLibTorchsOwnConvolutions_DoesNotDrawRandomNumbersOrChangeThreadsOrGradMode()
    {
        int threads = get_num_threads();
        manual_seed(5);
        var expected = randn(4).data<float>().ToArray();

        manual_seed(5);
        ConvolutionState state;
        using (inference_mode())
            state = ConvolutionCheck.Run(ConvolutionPolicy.Checked);
        var actual = randn(4).data<float>().ToArray();

        Assert.Equal(expected, actual);
        Assert.Equal(threads, get_num_threads());
        Assert.True(is_grad_enabled());
        Assert.True(state.Correct, state.ToString());
        Assert.InRange(state.CheckTime, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Policy_IsApplied_AtInitialization_AndCannotChangeAfterwards()
    {
        SlimRuntime.Initialize();

        Assert.NotNull(SlimRuntime.Convolutions);
        Assert.Equal(SlimRuntime.ConvolutionPolicy, SlimRuntime.Convolutions!.Policy);
        var other = SlimRuntime.ConvolutionPolicy == ConvolutionPolicy.Off ? ConvolutionPolicy.Checked : ConvolutionPolicy.Off;
        var error = Assert.Throws<InvalidOperationException>(() => SlimRuntime.ConvolutionPolicy = other);
        Assert.Contains("SLIMGEN_CONVOLUTION_POLICY", error.Message);
    }

    private static Tensor[] Gradients(Tensor input, Tensor weight, Tensor bias, Tensor upstream, Func<Tensor, Tensor, Tensor, Tensor> convolve)
    {
        var x = input.detach().requires_grad_();
        var w = weight.detach().requires_grad_();
        var b = bias.detach().requires_grad_();
        var output = convolve(x, w, b);
        output.backward([upstream]);
        return [output.detach(), x.grad!, w.grad!, b.grad!];
    }

    /// <summary>Whether this CPU's float32 kernels get input gradients wrong, with one thread as the check runs them.</summary>
    private static bool RealKernelsHaveAnInputGradientDefect()
    {
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return ConvolutionCheck.Find((input, weight) => F.conv2d(input, weight, padding: [1, 1])).HasFlag(ConvolutionDefects.InputGradientOutChannels);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>
    /// A float64 convolution, right on every CPU (the defects are in oneDNN's float32 kernels), so that a fake defect
    /// built on it is the only one the check can find, forward and backward.
    /// </summary>
    private static Tensor ExactConv2d(Tensor input, Tensor weight) =>
        F.conv2d(input.to(ScalarType.Float64), weight.to(ScalarType.Float64), padding: [1, 1]).to(input.dtype);
}
