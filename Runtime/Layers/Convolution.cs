using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// <c>F.conv2d</c> with the workaround that <see cref="SlimRuntime.Convolutions"/> put in force for this CPU. SlimGen's
/// layers convolve through it; call it from your own TorchSharp code for the same guarantee (docs/PLATFORM.md).
/// </summary>
public static class Convolution
{
    /// <summary>The channel block that padded layers round up to: oneDNN's for AVX-512, a multiple of AVX2's 8.</summary>
    public const int Block = 16;

    /// <summary>
    /// Convolves <paramref name="input"/> (<c>[N, in, H, W]</c>) with <paramref name="weight"/> (<c>[out, in, kH, kW]</c>),
    /// as <c>F.conv2d</c> does. On a CPU where oneDNN is wrong for channel counts off its block size, the affected
    /// channels are zero-padded to a multiple of <see cref="Block"/> (the padding adds zeros to the sums, so the
    /// result is the same) and the output is cut back; elsewhere, and on other devices, this is <c>F.conv2d</c>.
    /// </summary>
    /// <param name="input">The batch.</param>
    /// <param name="weight">The kernel.</param>
    /// <param name="bias">One value per output channel, or null.</param>
    /// <param name="stride">Step along height and width.</param>
    /// <param name="padding">Zero padding of height and width, on both sides.</param>
    /// <param name="dilation">Spacing of the kernel's taps along height and width; null for 1 (dense).</param>
    /// <param name="groups">
    /// Groups of input channels convolved separately (PyTorch's <c>groups</c>; the weight is then
    /// <c>[out, in / groups, kH, kW]</c>); the input channels for a depthwise convolution.
    /// </param>
    /// <returns>The convolution, <c>[N, out, H', W']</c>.</returns>
    public static Tensor Conv2d(
        Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[]? dilation = null, long groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        SlimRuntime.Initialize();
        return Conv2d(input, weight, bias, stride, padding, dilation ?? [1, 1], groups, SlimRuntime.ActiveConvolutionDefects);
    }

    /// <summary><see cref="Conv2d(Tensor, Tensor, Tensor?, long[], long[], long[], long)"/> working around <paramref name="defects"/>.</summary>
    internal static Tensor Conv2d(
        Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups, ConvolutionDefects defects)
    {
        // Zero channels appended to a grouped convolution would shift the channels of every group but the first, so
        // the workaround pads dense convolutions only; the defect was found (and is checked) on dense ones.
        if (defects == ConvolutionDefects.None || groups != 1 || weight.device_type != DeviceType.CPU || weight.dtype != ScalarType.Float32)
            return F.conv2d(input, weight, bias, strides: stride, padding: padding, dilation: dilation, groups: groups);

        var shape = weight.shape;
        long outChannels = shape[0], inChannels = shape[1];
        // The output channels matter only to the input gradient, which autograd computes only when asked for.
        bool inputGradient = defects.HasFlag(ConvolutionDefects.InputGradientOutChannels) && input.requires_grad && is_grad_enabled();
        long extraIn = defects.HasFlag(ConvolutionDefects.ForwardInChannels) && inChannels > 8 ? Tail(inChannels, Block) : 0;
        // Where input gradients are wrong, strided ones are also wrong for in-channels that are an odd multiple of 16
        // above 32 (48 on an AMD EPYC with AVX-512 BF16, found by the sweep; 16 is right): those take 16 more.
        long paddedIn = inChannels + extraIn;
        if (inputGradient && stride.Any(step => step > 1) && paddedIn > 2 * Block && paddedIn % (2 * Block) == Block)
            extraIn += Block;
        long extraOut = inputGradient ? Tail(outChannels, Block) : 0;
        if (extraIn == 0 && extraOut == 0)
            return F.conv2d(input, weight, bias, strides: stride, padding: padding, dilation: dilation);

        using var scope = NewDisposeScope();
        // F.pad lists (before, after) pairs from the last dimension back: width, height, then channels (and outputs).
        var paddedInput = extraIn == 0 ? input : F.pad(input, [0, 0, 0, 0, 0, extraIn]);
        var paddedWeight = F.pad(weight, [0, 0, 0, 0, 0, extraIn, 0, extraOut]);
        var paddedBias = bias is null || extraOut == 0 ? bias : F.pad(bias, [0, extraOut]);
        var output = F.conv2d(paddedInput, paddedWeight, paddedBias, strides: stride, padding: padding, dilation: dilation);
        if (extraOut != 0)
            output = output.narrow(1, 0, outChannels).contiguous();
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>How many channels bring <paramref name="channels"/> up to a multiple of <paramref name="block"/>.</summary>
    private static long Tail(long channels, int block) => (block - channels % block) % block;
}
