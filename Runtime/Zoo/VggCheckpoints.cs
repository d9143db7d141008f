using System;
using System.Collections.Generic;
using System.Linq;
using SlimGen.Checkpoints;
using static TorchSharp.torch;

namespace SlimGen.Zoo;

/// <summary>
/// torchvision's VGG weights for SlimGen models. torchvision keeps VGG in two <c>nn.Sequential</c>s:
/// <c>features</c> numbers every convolution, ReLU and max pool in order (<c>features.0</c> is the first
/// convolution, <c>features.2</c> the second after its ReLU), and <c>classifier</c> holds dense layer, ReLU, dropout,
/// dense layer, ReLU, dropout, dense layer (<c>classifier.0</c>, <c>.3</c>, <c>.6</c>). The map is derived from a
/// model's compile-time <see cref="ModelSummary"/>, so it serves VGG-11, -16 and -19 and any reduced VGG-style model
/// with the same layer pattern.
/// </summary>
public static class TorchVisionVgg
{
    /// <summary>
    /// torchvision's layer names to the model's scopes, e.g. <c>features.0</c> to <c>conv1.conv1_1</c> and
    /// <c>classifier.6</c> to <c>fc8</c>; the parameter names (<c>weight</c>, <c>bias</c>) are the same on both sides.
    /// </summary>
    /// <param name="summary">
    /// The model's summary: convolutions and max pools, a flatten, then dense layers with dropouts between them; every
    /// convolution and dense layer but the last followed by a ReLU, as in VGG.
    /// </param>
    /// <exception cref="NotSupportedException">A layer has no counterpart in torchvision's VGG (batch norm, average pooling, ...).</exception>
    public static IReadOnlyDictionary<string, string> LayerNames(ModelSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var lastDense = summary.Layers.LastOrDefault(layer => layer.Op == Op.FullyConnected);
        var names = new Dictionary<string, string>();
        var (sequential, index) = ("features", 0);
        foreach (var layer in summary.Layers)
        {
            switch (sequential, layer.Op)
            {
                case ("features", Op.Conv2d):
                    names.Add($"features.{index}", ScopeKey(layer));
                    index += 2; // the convolution, then its ReLU
                    break;
                case ("features", Op.MaxPool2d):
                    index += 1;
                    break;
                case ("features", Op.Flatten):
                    (sequential, index) = ("classifier", 0); // torchvision's avgpool and flatten are outside both sequentials
                    break;
                case ("classifier", Op.FullyConnected):
                    names.Add($"classifier.{index}", ScopeKey(layer));
                    index += layer == lastDense ? 1 : 2; // the dense layer, then its ReLU unless it gives the logits
                    break;
                case ("classifier", Op.Dropout):
                    index += 1;
                    break;
                default:
                    throw new NotSupportedException(
                        $"{summary.ModelName}: layer '{layer.Scope}' ({layer.Op}) has no place in torchvision's VGG layout " +
                        "(convolutions and max pools, a flatten, then dense layers and dropouts).");
            }
        }
        return names;
    }

    /// <summary>The name map from torchvision's VGG keys to the model's keys, built from <see cref="LayerNames"/>.</summary>
    public static NameMap NameMap(ModelSummary summary) => Checkpoints.NameMap.FromPrefixes(LayerNames(summary));

    /// <summary>
    /// Loads weights saved from a torchvision VGG (<c>torch.save(vgg.state_dict())</c> in the zip format, or safetensors)
    /// into <paramref name="model"/>, whose <paramref name="summary"/> gives the layout.
    /// </summary>
    /// <param name="model">A VGG-style SlimGen model.</param>
    /// <param name="summary">The model's compile-time summary, e.g. <c>Vgg16.Summary</c>.</param>
    /// <param name="path">The weights file.</param>
    /// <param name="options">Strictness and excluded scopes (in SlimGen's names, e.g. <c>fc8</c>); the name map is this one.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a name map of its own.</exception>
    /// <exception cref="CheckpointException">The file is invalid, or does not fit in a strict load; the model is unchanged.</exception>
    public static LoadReport Load(nn.Module model, ModelSummary summary, string path, LoadOptions? options = null)
    {
        options ??= new LoadOptions();
        if (options.NameMap is not null)
            throw new ArgumentException("The torchvision name map replaces LoadOptions.NameMap; leave it null.", nameof(options));
        return Checkpoint.Load(model, path, options with { NameMap = NameMap(summary) });
    }

    private static string ScopeKey(LayerSummary layer) => layer.Scope.Replace('/', '.');
}

// The zoo's VGGs load torchvision's weights through TorchVisionModels.LoadTorchVisionWeights, with the map derived
// from their compile-time summaries.

public sealed partial class Vgg11 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionVgg.NameMap(Summary);
}

public sealed partial class Vgg16 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionVgg.NameMap(Summary);
}

public sealed partial class Vgg19 : ITorchVisionModel
{
    /// <inheritdoc/>
    public static NameMap TorchVisionNames => TorchVisionVgg.NameMap(Summary);
}
