using System;
using System.Collections.Generic;
using SlimGen.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Layers;

/// <summary>
/// Batch normalization over the channel (second) dimension of <c>[N, C]</c>, <c>[N, C, L]</c> or <c>[N, C, H, W]</c>,
/// with PyTorch's semantics and state_dict names: <c>weight</c> (unless created without scale), <c>bias</c>,
/// <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>. Training mode normalizes with the batch
/// statistics and updates the running ones; eval mode normalizes with the running statistics.
/// </summary>
public sealed class BatchNorm : nn.Module<Tensor, Tensor>, IOnnxLayer
{
    // Field names are the state_dict names: Module.to replaces the tensors through the fields of the same name.
    private Parameter? weight;
    private Parameter bias;
    private Tensor running_mean;
    private Tensor running_var;
    private Tensor num_batches_tracked;

    private readonly long numFeatures;
    private readonly double epsilon;
    private readonly double momentum;
    private readonly Act activation;

    /// <summary>Creates the layer with unit scale, zero shift, zero running mean and unit running variance.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <param name="momentum">Weight of the current batch in the running statistics (PyTorch's convention; TensorFlow's decay is <c>1 - momentum</c>).</param>
    /// <param name="scale">
    /// Whether to learn a scale gamma (<c>weight</c>); without it the scale is 1 and the state_dict has no
    /// <c>weight</c>, as TF-Slim's <c>batch_norm</c> with its default <c>scale=False</c>.
    /// </param>
    /// <param name="activation">Applied after normalization.</param>
    /// <param name="device">Where to create the tensors; the default device when null.</param>
    /// <param name="dtype">Element type of the floating-point tensors; the default type when null.</param>
    public BatchNorm(
        long numFeatures, double epsilon = LayerDefaults.BatchNormEpsilon, double momentum = LayerDefaults.BatchNormMomentum,
        bool scale = true, Act activation = LayerDefaults.BatchNormActivation, Device? device = null, ScalarType? dtype = null)
        : base(SlimRuntime.InitializeFor(nameof(BatchNorm)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        if (!(momentum is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must lie in [0, 1].");

        this.numFeatures = numFeatures;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.activation = activation;

        if (scale)
        {
            weight = LayerTensors.NewParameter([numFeatures], Init.Ones, 0, null, device, dtype);
            register_parameter(nameof(weight), weight);
        }
        bias = LayerTensors.NewParameter([numFeatures], Init.Zeros, 0, null, device, dtype);
        running_mean = LayerTensors.NewBuffer(zeros(numFeatures, dtype, device));
        running_var = LayerTensors.NewBuffer(ones(numFeatures, dtype, device));
        num_batches_tracked = LayerTensors.NewBuffer(tensor(0L, ScalarType.Int64, device));
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        register_buffer(nameof(num_batches_tracked), num_batches_tracked);
        LayerTensors.RecordDevice(this, device);
    }

    /// <summary>Normalizes <paramref name="input"/>; in training mode also updates the running statistics.</summary>
    /// <exception cref="ArgumentException">The input is not <c>[N, C, ...]</c> with C = numFeatures, or a training batch has one value per channel.</exception>
    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        if (training)
        {
            using var noGrad = no_grad();
            num_batches_tracked.add_(1);
        }

        return LayerTensors.ActivateFresh(F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, epsilon), activation);
    }

    /// <summary>The scale and shift that this normalization with its running statistics applies per channel.</summary>
    internal (Tensor Scale, Tensor Shift) Folded()
    {
        var scale = (running_var + epsilon).rsqrt();
        if (weight is not null)
            scale = scale * weight.detach();
        return (scale, bias.detach() - running_mean * scale);
    }

    /// <summary>
    /// An ONNX BatchNormalization node named <paramref name="name"/>, with TF-Slim's variable names; without a learned
    /// scale, its scale input is a constant of ones named <c>unit_gamma</c>.
    /// </summary>
    internal string ExportNormalization(OnnxGraph graph, string name, string input) =>
        graph.Node("BatchNormalization", name, [
                input,
                weight is null ? graph.Initializer($"{name}/unit_gamma", ones_like(bias)) : graph.Initializer($"{name}/gamma", weight),
                graph.Initializer($"{name}/beta", bias),
                graph.Initializer($"{name}/moving_mean", running_mean), graph.Initializer($"{name}/moving_variance", running_var)],
            ("epsilon", (float)epsilon));

    string IOnnxLayer.ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape) =>
        graph.Activation(scope, ExportNormalization(graph, scope, input), activation);

    private void CheckInput(Tensor input)
    {
        var shape = input.shape;
        if (shape.Length is < 2 or > 4 || shape[1] != numFeatures)
        {
            throw new ArgumentException(
                $"BatchNorm({numFeatures}) expects input of shape [N, {numFeatures}], [N, {numFeatures}, L] or [N, {numFeatures}, H, W], " +
                $"but got {ShapeGuard.Format(shape)}.", nameof(input));
        }
        // The batch variance of a single value is zero, and its unbiased estimate (for the running variance) is undefined.
        if (training && input.numel() == numFeatures)
        {
            throw new ArgumentException(
                $"BatchNorm in training mode needs more than one value per channel, but got input of shape {ShapeGuard.Format(shape)}.", nameof(input));
        }
    }
}
