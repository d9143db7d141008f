using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>
/// What the 2-D pools share: a window of <see cref="KernelSize"/> at <see cref="Stride"/>, with TensorFlow's or PyTorch's
/// padding, resolved against the actual input size at each call.
/// </summary>
public abstract class Pool2d : ParameterLessModule<Tensor, Tensor>, IOnnxLayer
{
    /// <summary>Creates the pool after checking its window.</summary>
    /// <param name="name">The layer's module name.</param>
    /// <param name="kernelSize">Height and width of the window: <c>3</c> or <c>(1, 3)</c>.</param>
    /// <param name="stride">Step of the window along height and width; null for 2.</param>
    /// <param name="padding">
    /// <see cref="Pad.Valid"/>, <see cref="Pad.Same"/> (TensorFlow's, computed from the actual input size at each
    /// call) or <see cref="Pad.Symmetric"/> (PyTorch's).
    /// </param>
    /// <param name="paddingSize">
    /// For <see cref="Pad.Symmetric"/> only: the cells on each side per dimension, at most half the window as
    /// PyTorch requires; null for <c>(kernel - 1) / 2</c>.
    /// </param>
    private protected Pool2d(string name, Size2d kernelSize, Size2d? stride, Pad padding, Size2d? paddingSize)
        : base(SlimRuntime.InitializeFor(name))
    {
        WindowPadding.ValidatePool(kernelSize, stride, padding, paddingSize);
        KernelSize = kernelSize;
        Stride = stride ?? LayerDefaults.PoolStride;
        Padding = padding;
        PaddingSize = paddingSize;
    }

    private protected Size2d KernelSize { get; }

    private protected Size2d Stride { get; }

    private protected Pad Padding { get; }

    private protected Size2d? PaddingSize { get; }

    /// <summary>The padding of this pool over <paramref name="input"/>.</summary>
    private protected WindowPadding PaddingOf(Tensor input) => WindowPadding.Resolve(input, KernelSize, Stride, 1, Padding, PaddingSize);

    /// <summary>The ONNX node of the pool, <paramref name="opType"/> with its window and padding and any further attributes.</summary>
    private protected string ExportOnnx(OnnxGraph graph, string opType, string scope, string input, IReadOnlyList<long> inputShape,
        params (string Name, object Value)[] attributes) =>
        graph.Node(opType, scope, [input], [("kernel_shape", KernelSize.ToArray()), ("strides", Stride.ToArray()),
            OnnxPadding.Attribute(inputShape, KernelSize, Stride, 1, Padding, PaddingSize), .. attributes]);

    /// <inheritdoc/>
    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, scope, input, inputShape);

    /// <summary>The pool as ONNX nodes.</summary>
    private protected abstract string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape);
}
