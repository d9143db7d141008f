using System;
using System.Collections.Generic;
using SlimGen.Onnx;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>
/// TF-Slim's <c>conv2d</c>: a convolution (any kernel, stride and dilation per dimension, TensorFlow's or PyTorch's
/// padding), then a bias or a normalizer, then an activation. The <see cref="WeightedLayer.weight"/> is
/// <c>[out, in, kH, kW]</c>, PyTorch's layout.
/// </summary>
public sealed class Conv2d : WeightedLayer
{
    private readonly Size2d kernelSize;
    private readonly Size2d stride;
    private readonly Pad padding;
    private readonly Size2d? paddingSize;
    private readonly Size2d dilation;
    private readonly int groups;

    /// <summary>Creates the layer and initializes its parameters.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels (TF-Slim's <c>num_outputs</c>).</param>
    /// <param name="kernelSize">Height and width of the kernel: <c>3</c> or <c>(1, 7)</c>.</param>
    /// <param name="stride">Step of the kernel along height and width; null for 1.</param>
    /// <param name="padding">
    /// <see cref="Pad.Same"/> (TensorFlow's, computed from the actual input size at each call), <see cref="Pad.Valid"/>
    /// or <see cref="Pad.Symmetric"/> (PyTorch's).
    /// </param>
    /// <param name="paddingSize">
    /// For <see cref="Pad.Symmetric"/> only: the zero cells on each side per dimension; null for
    /// <c>dilation * (kernel - 1) / 2</c>.
    /// </param>
    /// <param name="dilation">Spacing of the kernel's taps along height and width (atrous convolution); null for 1.</param>
    /// <param name="groups">
    /// Channel groups (ResNeXt's cardinality): each group of <c>outChannels / groups</c> filters sees its own
    /// <c>inChannels / groups</c> channels; both must divide. The weight is <c>[out, in / groups, kH, kW]</c>, as PyTorch's.
    /// </param>
    /// <param name="activation">Applied last.</param>
    /// <param name="useBias">Whether to add a bias; ignored (no bias) when <paramref name="normalizer"/> is set.</param>
    /// <param name="normalizer">Applied between the convolution and the activation.</param>
    /// <param name="weightsInit">Weight initializer; <see cref="Init.Default"/> means <see cref="Init.Xavier"/>.</param>
    /// <param name="weightsStddev">Scale of the stddev-based initializers, for the weights and the bias.</param>
    /// <param name="biasInit">Bias initializer; <see cref="Init.Default"/> means <see cref="Init.Zeros"/>.</param>
    /// <param name="biasValue">The bias of <see cref="Init.Constant"/>.</param>
    /// <param name="batchNorm">The batch norm of <see cref="Norm.BatchNorm"/>; null for the defaults.</param>
    /// <param name="device">Where to create the tensors; the default device when null.</param>
    /// <param name="dtype">Element type of the tensors; the default type when null.</param>
    public Conv2d(
        long inChannels, long outChannels, Size2d kernelSize, Size2d? stride = null, Pad padding = LayerDefaults.ConvolutionPadding,
        Size2d? paddingSize = null, Size2d? dilation = null, int groups = 1, Act activation = LayerDefaults.WeightedActivation,
        bool useBias = LayerDefaults.UseBias, Norm normalizer = LayerDefaults.Normalizer, Init weightsInit = LayerDefaults.WeightsInit,
        double weightsStddev = LayerDefaults.WeightsStddev, Init biasInit = LayerDefaults.BiasInit, double biasValue = 0,
        BatchNormOptions? batchNorm = null, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Conv2d), KernelShape(inChannels, outChannels, kernelSize, stride, padding, paddingSize, dilation, groups), activation,
               useBias, normalizer, weightsInit, weightsStddev, biasInit, biasValue, batchNorm, device, dtype)
    {
        this.kernelSize = kernelSize;
        this.stride = stride ?? LayerDefaults.ConvolutionStride;
        this.padding = padding;
        this.paddingSize = paddingSize;
        this.dilation = dilation ?? 1;
        this.groups = groups;
    }

    /// <summary>Convolves a <c>[N, in, H, W]</c> batch into <c>[N, out, H', W']</c>, then normalizes and activates.</summary>
    public override Tensor forward(Tensor input) =>
        NormalizeAndActivate(WindowPadding.Resolve(input, kernelSize, stride, dilation, padding, paddingSize)
            .Apply(input, fill: 0, (x, pad) => Convolution.Conv2d(x, weight, bias, stride.ToArray(), pad, dilation.ToArray(), groups)));

    private protected override string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, scope, input, inputs => graph.Node("Conv", scope, inputs,
            ("kernel_shape", kernelSize.ToArray()), ("strides", stride.ToArray()), ("dilations", dilation.ToArray()), ("group", (long)groups),
            OnnxPadding.Attribute(inputShape, kernelSize, stride, dilation, padding, paddingSize)));

    // Validates before the base constructor allocates anything.
    private static long[] KernelShape(
        long inChannels, long outChannels, Size2d kernelSize, Size2d? stride, Pad padding, Size2d? paddingSize, Size2d? dilation, int groups)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups {groups} must divide both the {inChannels} input and the {outChannels} output channels.", nameof(groups));
        WindowPadding.Validate(kernelSize, stride, padding, paddingSize, dilation);
        return [outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width];
    }
}
