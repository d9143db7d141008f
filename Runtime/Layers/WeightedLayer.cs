using System;
using System.Collections.Generic;
using System.Linq;
using SlimGen.Onnx;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SlimGen.Layers;

/// <summary>
/// A TF-Slim weighted layer: a linear op with a <see cref="weight"/>, then a <see cref="bias"/> or a normalizer,
/// then an activation. As in TF-Slim, a normalizer replaces the bias (its shift does that job). state_dict:
/// <c>weight</c>, <c>bias</c> when present, and <c>bn.*</c> with a batch-norm normalizer.
/// </summary>
public abstract class WeightedLayer : nn.Module<Tensor, Tensor>, IOnnxLayer
{
    // Named for the state_dict, so that RegisterComponents (run when a parent registers this layer) finds them
    // registered already and does not add them again under their field names.
    [ComponentName(Name = nameof(weight))]
    private Parameter _weight;
    [ComponentName(Name = nameof(bias))]
    private Parameter? _bias;
    private readonly BatchNorm? bn;
    private readonly Act activation;

    private protected WeightedLayer(
        string name, long[] weightShape, Act activation, bool useBias, Norm normalizer, Init weightsInit, double weightsStddev,
        Init biasInit, double biasValue, BatchNormOptions? batchNorm, Device? device, ScalarType? dtype)
        : base(SlimRuntime.InitializeFor(name))
    {
        this.activation = activation;
        var outFeatures = weightShape[0];

        _weight = LayerTensors.NewParameter(weightShape, weightsInit.Or(LayerDefaults.WeightsInit), weightsStddev, null, device, dtype);
        register_parameter(nameof(weight), _weight);
        switch (normalizer)
        {
            case Norm.BatchNorm:
                batchNorm ??= new BatchNormOptions();
                bn = new BatchNorm(outFeatures, batchNorm.Epsilon, batchNorm.Momentum, scale: batchNorm.Scale, device: device, dtype: dtype);
                register_module(nameof(bn), bn);
                break;
            case Norm.None when useBias:
                _bias = LayerTensors.NewParameter([outFeatures], biasInit.Or(LayerDefaults.BiasInit), weightsStddev, biasValue, device, dtype);
                register_parameter(nameof(bias), _bias);
                break;
            case Norm.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(normalizer), normalizer, "Unknown normalizer.");
        }
        LayerTensors.RecordDevice(this, device);
    }

    /// <summary>The weight; its first dimension is the number of outputs.</summary>
    public Parameter weight
    {
        get => _weight;
        private protected set => _weight = Replace(_weight, value, nameof(weight))!;
    }

    /// <summary>The bias, one per output; null when the layer has none.</summary>
    public Parameter? bias
    {
        get => _bias;
        private protected set => _bias = Replace(_bias, value, nameof(bias));
    }

    /// <summary>Applies the normalizer (if any), then the activation, to the linear op's output.</summary>
    private protected Tensor NormalizeAndActivate(Tensor linear)
    {
        var normalized = bn is null ? linear : linear.Then(bn.call);
        return LayerTensors.ActivateFresh(normalized, activation);
    }

    /// <inheritdoc/>
    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        ExportOnnx(graph, scope, input, inputShape);

    /// <summary>The layer's linear op as ONNX nodes; its inputs are the layer input, the weights and the biases if any.</summary>
    private protected abstract string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape);

    /// <summary>
    /// The layer as ONNX: the weights and biases (the batch norm folded in when the options say so), the linear op
    /// written by <paramref name="linear"/>, then the normalizer and the activation.
    /// </summary>
    private protected string ExportOnnx(OnnxGraph graph, string scope, string input, Func<string[], string> linear)
    {
        var weights = weight.detach();
        var biases = bias?.detach();
        bool fold = bn is not null && graph.Options.FoldBatchNorm;
        if (fold)
        {
            var (scale, shift) = bn!.Folded();
            weights = weights * scale.view([-1, .. Enumerable.Repeat(1L, (int)weights.dim() - 1)]);
            biases = shift;
        }
        var inputs = new List<string> { input, graph.Initializer($"{scope}/weights", weights) };
        if (biases is not null)
            inputs.Add(graph.Initializer($"{scope}/biases", biases));
        string output = linear([.. inputs]);
        if (bn is not null && !fold)
            output = bn.ExportNormalization(graph, $"{scope}/BatchNorm", output);
        return graph.Activation(scope, output, activation);
    }

    // Module.to hands over moved copies through these setters (a public property with the parameter's name takes
    // precedence over the field): free the old copy, register the new one under the same name.
    private Parameter? Replace(Parameter? old, Parameter? replacement, string name)
    {
        old?.Dispose();
        ConditionallyRegisterParameter(name, replacement);
        return replacement;
    }
}
