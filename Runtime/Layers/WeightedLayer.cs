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
/// <c>weight</c>, <c>bias</c> when present, and <c>bn.*</c> with a batch-norm normalizer (until
/// <see cref="BatchNormFolding.FoldBatchNorm"/> folds it into <c>weight</c> and <c>bias</c>).
/// </summary>
public abstract class WeightedLayer : nn.Module<Tensor, Tensor>, IOnnxLayer
{
    // Named for the state_dict, so that RegisterComponents (run when a parent registers this layer) finds them
    // registered already and does not add them again under their field names.
    [ComponentName(Name = nameof(weight))]
    private Parameter _weight;
    [ComponentName(Name = nameof(bias))]
    private Parameter? _bias;
    private BatchNorm? bn;
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

    /// <summary>
    /// Whether <see cref="BatchNormFolding.FoldBatchNorm"/> has folded this layer's batch norm into its weight and
    /// bias. Folding is one way: the layer then has no <c>bn.*</c> state and refuses <c>train()</c>.
    /// </summary>
    public bool IsBatchNormFolded { get; private set; }

    /// <summary>Sets training or eval mode; training mode is refused once the batch norm is folded.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="train"/> is true and the batch norm is folded.</exception>
    public override void train(bool train = true)
    {
        if (train && IsBatchNormFolded)
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} had its batch norm folded into its weights for inference (FoldBatchNorm), which cannot be " +
                "undone: it can no longer train. Build the model anew (or load an unfolded checkpoint) to train it.");
        }
        base.train(train);
    }

    /// <summary>
    /// Folds the batch norm (with its running statistics) into <see cref="weight"/> and a new <see cref="bias"/>,
    /// removes it from the module, and marks the layer folded; false when the layer has no batch norm.
    /// </summary>
    internal bool FoldBatchNorm()
    {
        if (bn is null)
            return false;
        using (no_grad())
        using (NewDisposeScope())
        {
            var (weights, biases) = FoldedWeights();
            weight.copy_(weights);
            var folded = new Parameter(biases!.clone(), requires_grad: weight.requires_grad);
            folded.DetachFromDisposeScope();
            bias = folded;
        }
        _internal_submodules.Remove(nameof(bn));
        bn.Dispose();
        bn = null;
        IsBatchNormFolded = true;
        return true;
    }

    /// <summary>
    /// The weights and biases with the batch norm folded in (the layer's own when it has none): the weight scaled per
    /// output by the normalization, the bias its shift.
    /// </summary>
    private (Tensor Weights, Tensor? Biases) FoldedWeights()
    {
        var weights = weight.detach();
        if (bn is null)
            return (weights, bias?.detach());
        var (scale, shift) = bn.Folded();
        return (weights * scale.view([-1, .. Enumerable.Repeat(1L, (int)weights.dim() - 1)]), shift);
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
        bool fold = bn is not null && graph.Options.FoldBatchNorm;
        var (weights, biases) = fold ? FoldedWeights() : (weight.detach(), bias?.detach());
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
