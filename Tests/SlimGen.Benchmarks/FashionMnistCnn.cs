using TorchSharp.Modules;
using static SlimGen.Op;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Benchmarks;

// The TensorFlow tutorial's Fashion-MNIST/MNIST CNN, twice: once with SlimGen attributes, once by hand.

/// <summary>The tutorial CNN as SlimGen attributes: SAME 5x5 convolutions with ReLU (the defaults), 2x2 pools.</summary>
[SlimModel(1, 28, 28)]
[Conv2d(32, 5, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Conv2d(64, 5, Scope = "conv2")]
[MaxPool2d(2, Scope = "pool2")]
[Flatten]
[FullyConnected(1024, Scope = "fc3")]
[Dropout(0.4, Scope = "dropout3")]
[FullyConnected(10, Activation = Act.None, Scope = "logits")]
internal sealed partial class FashionMnistCnn { }

/// <summary>The same network as a TorchSharp user writes it by hand, in the style of TorchSharp's examples.</summary>
internal sealed class HandWrittenFashionMnistCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 32, 5, padding: 2);
    private readonly Conv2d conv2 = nn.Conv2d(32, 64, 5, padding: 2);
    private readonly Linear fc3 = nn.Linear(64 * 7 * 7, 1024);
    private readonly Dropout dropout3 = nn.Dropout(0.4);
    private readonly Linear logits = nn.Linear(1024, 10);

    public HandWrittenFashionMnistCnn()
        : base(nameof(HandWrittenFashionMnistCnn))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = F.max_pool2d(F.relu(conv1.call(input)), 2);
        x = F.max_pool2d(F.relu(conv2.call(x)), 2);
        x = dropout3.call(F.relu(fc3.call(x.flatten(1))));
        return logits.call(x).MoveToOuterDisposeScope();
    }
}
