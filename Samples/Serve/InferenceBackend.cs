using System;
using System.Collections.Generic;
using System.Linq;
using SlimGen.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Serve;

/// <summary>
/// Runs a batch through a model. One backend is owned by the batcher's inference thread, which is the only caller of
/// <see cref="Predict"/>.
/// </summary>
public interface IInferenceBackend : IDisposable
{
    /// <summary>The backend's name, as configured.</summary>
    string Name { get; }

    /// <summary>The model's outputs (logits) for <paramref name="count"/> examples laid end to end in <paramref name="inputs"/>.</summary>
    /// <returns><paramref name="count"/> rows of one logit per class.</returns>
    float[][] Predict(float[] inputs, int count);

    /// <summary>Splits <paramref name="count"/> rows laid end to end, as both backends return them.</summary>
    internal static float[][] Rows(float[] flat, int count)
    {
        int width = flat.Length / count;
        return Enumerable.Range(0, count).Select(row => flat.AsSpan(row * width, width).ToArray()).ToArray();
    }
}

/// <summary>
/// The model exported to ONNX and run by ONNX Runtime (SlimGen.Onnx): no libtorch in the forward pass, and MLAS's
/// kernels, which run VGG-16 faster on CPUs than libtorch's (docs/BENCHMARKS.md).
/// </summary>
public sealed class OnnxBackend(OnnxModel model) : IInferenceBackend
{
    /// <inheritdoc/>
    public string Name => "onnx";

    /// <inheritdoc/>
    public float[][] Predict(float[] inputs, int count) => IInferenceBackend.Rows(model.Run(inputs, count), count);

    /// <inheritdoc/>
    public void Dispose() => model.Dispose();
}

/// <summary>The generated TorchSharp model, in eval mode under inference mode.</summary>
public sealed class TorchSharpBackend : IInferenceBackend
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly long[] inputShape;
    private readonly Device device;

    /// <summary>Takes ownership of <paramref name="model"/> and moves it to <paramref name="device"/>.</summary>
    public TorchSharpBackend(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape, Device device)
    {
        this.model = model;
        this.inputShape = inputShape.ToArray();
        this.device = device;
        model.to(device);
        model.eval();
    }

    /// <inheritdoc/>
    public string Name => "torchsharp";

    /// <inheritdoc/>
    public float[][] Predict(float[] inputs, int count)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var batch = tensor(inputs, [count, .. inputShape]).to(device);
        return IInferenceBackend.Rows(model.call(batch).cpu().data<float>().ToArray(), count);
    }

    /// <inheritdoc/>
    public void Dispose() => model.Dispose();
}
