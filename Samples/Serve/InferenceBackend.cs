using System;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>Class probabilities (softmax) for <paramref name="count"/> examples laid end to end in <paramref name="inputs"/>.</summary>
    /// <returns><paramref name="count"/> rows of one probability per class.</returns>
    float[][] Predict(float[] inputs, int count);
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
        var probabilities = nn.functional.softmax(model.call(batch), 1).cpu();
        var flat = probabilities.data<float>().ToArray();
        int classes = flat.Length / count;
        return Enumerable.Range(0, count).Select(row => flat.AsSpan(row * classes, classes).ToArray()).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => model.Dispose();
}
