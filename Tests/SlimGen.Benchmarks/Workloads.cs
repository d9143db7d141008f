using System;
using System.Collections.Generic;
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

    /// <summary>TorchVision.NET's hand-written models: <c>vgg16</c>; <c>resnet50</c>, <c>googlenet</c> and <c>mobilenet_v2</c> for the zoo.</summary>
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

/// <summary>The zoo's ImageNet models on both sides: SlimGen's generated ones and TorchVision.NET's hand-written ones.</summary>
internal static class ZooModels
{
    /// <summary>The architectures, as the report names them.</summary>
    public static readonly string[] Architectures = ["ResNet-50", "GoogLeNet", "MobileNet V2"];

    /// <summary>
    /// A freshly initialized model and its image shape (3x224x224 on both sides). GoogLeNet without auxiliary heads on
    /// both sides (TorchVision.NET 0.107's has none); dropout 0.2 on both sides for GoogLeNet and MobileNet V2.
    /// </summary>
    public static (nn.Module<Tensor, Tensor> Model, long[] ImageShape) Create(string architecture, string implementation)
    {
        nn.Module<Tensor, Tensor> model = (architecture, implementation) switch
        {
            ("ResNet-50", Implementations.SlimGen) => new Zoo.ResNet50(),
            ("ResNet-50", Implementations.TorchVision) => torchvision.models.resnet50(),
            ("GoogLeNet", Implementations.SlimGen) => new Zoo.GoogLeNet(),
            ("GoogLeNet", Implementations.TorchVision) => torchvision.models.googlenet(),
            ("MobileNet V2", Implementations.SlimGen) => new Zoo.MobileNetV2(),
            ("MobileNet V2", Implementations.TorchVision) => torchvision.models.mobilenet_v2(),
            _ => throw new ArgumentException($"Unknown zoo model '{architecture}' ({implementation}).", nameof(architecture)),
        };
        return (model, [3, 224, 224]);
    }
}

/// <summary>
/// Inference on a fixed random batch, in inference mode: VGG-16 at 224x224, or the Fashion-MNIST CNN; or any model
/// (the zoo's), under whichever grad mode the caller holds.
/// </summary>
internal sealed class Inference : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Tensor images;

    public Inference(string implementation, int batch)
        : this(implementation switch
        {
            Implementations.SlimGen => ((nn.Module<Tensor, Tensor>)new Zoo.Vgg16(), Zoo.Vgg16.InputShape.ToArray()),
            Implementations.TorchVision => (torchvision.models.vgg16(), Zoo.Vgg16.InputShape.ToArray()),
            Implementations.FashionMnist => (new FashionMnistCnn(), FashionMnistCnn.InputShape.ToArray()),
            _ => throw new ArgumentException($"Unknown inference implementation '{implementation}'.", nameof(implementation)),
        }, batch)
    {
    }

    /// <summary>Runs <paramref name="workload"/>'s model, in eval mode, on a random batch of its image shape.</summary>
    public Inference((nn.Module<Tensor, Tensor> Model, long[] ImageShape) workload, int batch)
    {
        model = workload.Model;
        model.eval();
        images = randn([batch, .. workload.ImageShape]);
        Batch = batch;
    }

    public int Batch { get; }

    /// <summary>The model, in eval mode.</summary>
    public nn.Module<Tensor, Tensor> Model => model;

    /// <summary>
    /// One forward pass in a dispose scope of its own, as a serving loop runs it (TorchVision.NET's MobileNet V2 and
    /// GoogLeNet open none: without it their intermediates would wait for the garbage collector); the caller holds an
    /// inference-mode or no-grad guard.
    /// </summary>
    public void Run()
    {
        using var scope = NewDisposeScope();
        model.call(images);
    }

    public void Dispose()
    {
        images.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// One Adam training step of the Fashion-MNIST CNN (or the tail-channel CNN) on a fixed random batch; or one step of any
/// model (the zoo's) with a given optimizer.
/// </summary>
internal sealed class TrainingStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly optim.Optimizer optimizer;
    private readonly Tensor images;
    private readonly Tensor labels;

    public TrainingStep(string implementation, int batch)
        : this(implementation switch
        {
            Implementations.SlimGen => ((nn.Module<Tensor, Tensor>)new FashionMnistCnn(), FashionMnistCnn.InputShape.ToArray()),
            Implementations.HandWritten => (new HandWrittenFashionMnistCnn(), new[] { 1L, 28, 28 }),
            Implementations.TailChannels => (new TailChannelCnn(), TailChannelCnn.InputShape.ToArray()),
            _ => throw new ArgumentException($"Unknown training implementation '{implementation}'.", nameof(implementation)),
        }, batch, parameters => optim.Adam(parameters, lr: 1e-3), classes: 10)
    {
    }

    /// <summary>Trains <paramref name="workload"/>'s model with <paramref name="optimizer"/> on random images and labels.</summary>
    public TrainingStep(
        (nn.Module<Tensor, Tensor> Model, long[] ImageShape) workload, int batch,
        Func<IEnumerable<Parameter>, optim.Optimizer> optimizer, int classes)
    {
        model = workload.Model;
        model.train();
        this.optimizer = optimizer(model.parameters());
        images = rand([batch, .. workload.ImageShape]);
        labels = randint(0, classes, [batch], ScalarType.Int64);
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
        // Adam's (and SGD's momentum) state tensors live outside dispose scopes.
        optimizer.Dispose();
        images.Dispose();
        labels.Dispose();
        model.Dispose();
    }
}
