using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Benchmarks;

/// <summary>The two sides of each comparison.</summary>
internal static class Implementations
{
    /// <summary>SlimGen's generated code (both workloads).</summary>
    public const string SlimGen = "slimgen";

    /// <summary>TorchVision.NET's hand-written <c>torchvision.models.vgg16</c>.</summary>
    public const string TorchVision = "torchvision";

    /// <summary>The hand-written TorchSharp Fashion-MNIST CNN.</summary>
    public const string HandWritten = "handwritten";

    /// <summary>
    /// SlimGen's <see cref="TailChannelCnn"/>, whose channel counts are off oneDNN's block size: what the convolution
    /// workaround costs where a CPU needs it.
    /// </summary>
    public const string TailChannels = "tail";

    /// <summary>SlimGen's Fashion-MNIST CNN, for inference (the model Samples/Serve serves by default).</summary>
    public const string FashionMnist = "fmnist";
}

/// <summary>Inference on a fixed random batch, in inference mode: VGG-16 at 224x224, or the Fashion-MNIST CNN.</summary>
internal sealed class Inference : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Tensor images;

    public Inference(string implementation, int batch)
    {
        (model, long[] imageShape) = implementation switch
        {
            Implementations.SlimGen => ((nn.Module<Tensor, Tensor>)new Zoo.Vgg16(), Zoo.Vgg16.InputShape.ToArray()),
            Implementations.TorchVision => (torchvision.models.vgg16(), Zoo.Vgg16.InputShape.ToArray()),
            Implementations.FashionMnist => (new FashionMnistCnn(), FashionMnistCnn.InputShape.ToArray()),
            _ => throw new ArgumentException($"Unknown inference implementation '{implementation}'.", nameof(implementation)),
        };
        model.eval();
        images = randn([batch, .. imageShape]);
        Batch = batch;
    }

    public int Batch { get; }

    /// <summary>One forward pass; the caller holds an inference-mode guard.</summary>
    public void Run()
    {
        using var output = model.call(images);
    }

    public void Dispose()
    {
        images.Dispose();
        model.Dispose();
    }
}

/// <summary>One Adam training step of the Fashion-MNIST CNN (or the tail-channel CNN) on a fixed random batch.</summary>
internal sealed class TrainingStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly optim.Optimizer optimizer;
    private readonly Tensor images;
    private readonly Tensor labels;

    public TrainingStep(string implementation, int batch)
    {
        (model, long[] imageShape) = implementation switch
        {
            Implementations.SlimGen => ((nn.Module<Tensor, Tensor>)new FashionMnistCnn(), FashionMnistCnn.InputShape.ToArray()),
            Implementations.HandWritten => (new HandWrittenFashionMnistCnn(), [1L, 28, 28]),
            Implementations.TailChannels => (new TailChannelCnn(), TailChannelCnn.InputShape.ToArray()),
            _ => throw new ArgumentException($"Unknown training implementation '{implementation}'.", nameof(implementation)),
        };
        model.train();
        optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        images = rand([batch, .. imageShape]);
        labels = randint(0, 10, [batch], ScalarType.Int64);
        Batch = batch;
    }

    public int Batch { get; }

    /// <summary>Forward, cross-entropy, backward and the optimizer's step, in one dispose scope as a training loop does.</summary>
    public float Run()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = F.cross_entropy(model.call(images), labels);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    public void Dispose()
    {
        // Adam's state tensors live outside dispose scopes.
        optimizer.Dispose();
        images.Dispose();
        labels.Dispose();
        model.Dispose();
    }
}
