using TorchSharp;

namespace SlimGen;

/// <summary>
/// What every model generated from <c>[SlimModel]</c> offers, so that code taking any model (the ONNX export, the
/// weight loaders, your own tools) reads its layer table and end points without reflection.
/// </summary>
public interface ISlimModel
{
    /// <summary>The layer table computed at compile time: the model class's static <c>Summary</c>.</summary>
    ModelSummary Summary { get; }

    /// <summary>Runs the network and also returns every layer's activation by TF-Slim name.</summary>
    (torch.Tensor Output, System.Collections.Generic.IReadOnlyDictionary<string, torch.Tensor> Endpoints) ForwardWithEndpoints(torch.Tensor input);

    /// <summary>TF-Slim's regularization loss: <c>decay * sum(w^2) / 2</c> over the weights of the layers with a WeightDecay.</summary>
    torch.Tensor RegularizationLoss();
}
