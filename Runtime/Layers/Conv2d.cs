using System.Collections.Generic;
using System;
using SlimGen.Onnx;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>
/// TF-Slim's <c>conv2d</c>: a square-kernel convolution with TensorFlow padding, then a bias or a normalizer, then an
/// activation. The <see cref="WeightedLayer.weight"/> is <c>[out, in, k, k]</c>.
/// </summary>
public sealed class Conv2d : WeightedLayer
{
    private readonly int kernelSize;
    private readonly int stride;
    private readonly Pad padding;

    /// <summary>Creates the layer and initializes its parameters.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels (TF-Slim's <c>num_outputs</c>).</param>
    /// <param name="kernelSize">Height and width of the kernel.</param>
    /// <param name="stride">Step of the kernel along height and width.</param>
    /// <param name="padding">TensorFlow padding, computed from the actual input size at each call.</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="useBias">Whether to add a bias; ignored (no bias) when <paramref name="normalizer"/> is set.</param>
    /// <param name="normalizer">Applied between the convolution and the activation.</param>
    /// <param name="weightsInit">Weight initializer; <see cref="Init.Default"/> means <see cref="Init.Xavier"/>.</param>
    /// <param name="weightsStddev">Scale of the stddev-based initializers, for the weights and the bias.</param>
    /// <param name="biasInit">Bias initializer; <see cref="Init.Default"/> means <see cref="Init.Zeros"/>.</param>
    /// <param name="device">Where to create the tensors; the default device when null.</param>
    /// <param name="dtype">Element type of the tensors; the default type when null.</param>
    public Conv2d(
        long inChannels, long outChannels, int kernelSize, int stride = LayerDefaults.ConvolutionStride,
        Pad padding = LayerDefaults.ConvolutionPadding, Act activation = LayerDefaults.WeightedActivation,
        bool useBias = LayerDefaults.UseBias, Norm normalizer = LayerDefaults.Normalizer, Init weightsInit = LayerDefaults.WeightsInit,
        double weightsStddev = LayerDefaults.WeightsStddev, Init biasInit = LayerDefaults.BiasInit, Device? device = null,
        ScalarType? dtype = null)
        : base(nameof(Conv2d), KernelShape(inChannels, outChannels, kernelSize, stride), activation, useBias, normalizer,
               weightsInit, weightsStddev, biasInit, device, dtype)
    {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
    }

    /// <summary>Convolves a <c>[N, in, H, W]</c> batch into <c>[N, out, H', W']</c>, then normalizes and activates.</summary>
    public override Tensor forward(Tensor input) =>
        NormalizeAndActivate(WindowPadding.Resolve(input, kernelSize, stride, padding)
            .Apply(input, fill: 0, (x, pad) => Convolution.Conv2d(x, weight, bias, [stride, stride], pad)));

    private protected override string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, scope, input, inputs => graph.Node("Conv", scope, inputs,
            ("kernel_shape", new long[] { kernelSize, kernelSize }), ("strides", new long[] { stride, stride }),
            ("pads", OnnxPadding.Pads(padding, inputShape, kernelSize, stride))));

    // Validates before the base constructor allocates anything.
    private static long[] KernelShape(long inChannels, long outChannels, int kernelSize, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        return [outChannels, inChannels, kernelSize, kernelSize];
    }
}
