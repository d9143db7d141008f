using System;
using System.ComponentModel.DataAnnotations;

namespace SlimGen.Serve;

/// <summary>The service's settings: section <c>Serve</c> of appsettings.json, environment (<c>Serve__Model</c>) or command line (<c>--Serve:Model</c>).</summary>
public sealed class ServeOptions
{
    /// <summary>The model: <c>fashion-mnist</c> (the Fashion-MNIST sample's CNN) or <c>vgg16</c> (the zoo's, torchvision's weights).</summary>
    public string Model { get; set; } = ServedModel.FashionMnist;

    /// <summary>
    /// The weights: a checkpoint the Fashion-MNIST sample wrote (<c>runs/fashion-mnist/.../model.safetensors</c>), or
    /// torchvision's VGG-16 weights converted as the README says; for the onnx backend also an exported <c>.onnx</c> file.
    /// Without one the model keeps its random initial weights.
    /// </summary>
    public string? Weights { get; set; }

    /// <summary>Where the model runs: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// The inference backend: <c>torchsharp</c>, the generated TorchSharp model, or <c>onnx</c>, the model exported to
    /// ONNX and run by ONNX Runtime.
    /// </summary>
    public string Backend { get; set; } = "torchsharp";

    /// <summary>The largest batch the batcher forms from concurrent requests.</summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>How long the batcher waits for more requests once it has one, in milliseconds.</summary>
    [Range(0, 1000)]
    public double MaxWaitMilliseconds { get; set; } = 2;

    /// <summary>Requests that may wait for the model; more get 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 128;

    /// <summary>How long a request may take, queue included, before it gets 504, in milliseconds.</summary>
    [Range(1, 600_000)]
    public int RequestTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>How many classes an answer lists, best first.</summary>
    [Range(1, 1000)]
    public int TopK { get; set; } = 5;

    /// <summary>The largest request body accepted, in bytes; larger ones get 413.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 8L << 20;

    /// <summary>The batcher's wait as a time span.</summary>
    public TimeSpan MaxWait => TimeSpan.FromMilliseconds(MaxWaitMilliseconds);
}
