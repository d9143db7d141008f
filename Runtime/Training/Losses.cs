using System;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Training;

/// <summary>
/// TF-Slim's losses (<c>tf.losses</c>), each returning a scalar tensor: the mean over the batch (over the
/// examples for softmax losses, over all elements for the element-wise ones). The two-argument overloads match
/// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, the loss a <see cref="Trainer"/> takes.
/// </summary>
public static class Losses
{
    /// <summary>Softmax cross entropy against one-hot (or any probability) targets.</summary>
    /// <param name="logits">Unscaled scores <c>[N, C]</c>.</param>
    /// <param name="onehotLabels">Target distributions <c>[N, C]</c>.</param>
    /// <returns>The mean over the batch of <c>-sum(targets * log_softmax(logits))</c>.</returns>
    /// <exception cref="ArgumentException">The shapes are not both <c>[N, C]</c>.</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor onehotLabels) => SoftmaxCrossEntropy(logits, onehotLabels, 0);

    /// <summary>
    /// Softmax cross entropy with TensorFlow's label smoothing: the targets become
    /// <c>onehot * (1 - labelSmoothing) + labelSmoothing / C</c>.
    /// </summary>
    /// <param name="logits">Unscaled scores <c>[N, C]</c>.</param>
    /// <param name="onehotLabels">Target distributions <c>[N, C]</c>.</param>
    /// <param name="labelSmoothing">How much of the target mass is spread uniformly over the classes, in [0, 1].</param>
    /// <returns>The mean over the batch of <c>-sum(smoothed targets * log_softmax(logits))</c>.</returns>
    /// <exception cref="ArgumentException">The shapes are not both <c>[N, C]</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor onehotLabels, double labelSmoothing)
    {
        CheckSameShape(logits, onehotLabels, nameof(onehotLabels), rank: 2);
        CheckSmoothing(labelSmoothing);
        using var scope = NewDisposeScope();
        var targets = Smooth(onehotLabels, labelSmoothing, uniform: labelSmoothing / logits.shape[1]);
        var perExample = F.log_softmax(logits, 1).mul(targets).sum(1).neg();
        return perExample.mean().MoveToOuterDisposeScope();
    }

    /// <summary>Softmax cross entropy against class indices (TensorFlow's sparse variant).</summary>
    /// <param name="logits">Unscaled scores <c>[N, C]</c>.</param>
    /// <param name="labels">Class indices <c>[N]</c>, <c>int64</c>, each in [0, C).</param>
    /// <returns>The mean over the batch of <c>-log_softmax(logits)[label]</c>.</returns>
    /// <exception cref="ArgumentException">The shapes are not <c>[N, C]</c> and <c>[N]</c>.</exception>
    public static Tensor SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels) => SparseSoftmaxCrossEntropy(logits, labels, 0);

    /// <summary>
    /// Softmax cross entropy against class indices, with label smoothing as in
    /// <see cref="SoftmaxCrossEntropy(Tensor, Tensor, double)"/> (PyTorch's <c>label_smoothing</c>).
    /// </summary>
    /// <param name="logits">Unscaled scores <c>[N, C]</c>.</param>
    /// <param name="labels">Class indices <c>[N]</c>, <c>int64</c>, each in [0, C).</param>
    /// <param name="labelSmoothing">How much of the target mass is spread uniformly over the classes, in [0, 1].</param>
    /// <returns>The mean over the batch.</returns>
    /// <exception cref="ArgumentException">The shapes are not <c>[N, C]</c> and <c>[N]</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Tensor SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels, double labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2 || labels.dim() != 1 || labels.shape[0] != logits.shape[0])
        {
            throw new ArgumentException(
                $"Sparse softmax cross entropy takes logits [N, C] and labels [N], but got {ShapeGuard.Format(logits.shape)} and {ShapeGuard.Format(labels.shape)}.",
                nameof(labels));
        }
        CheckSmoothing(labelSmoothing);
        return F.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
    }

    /// <summary>Sigmoid cross entropy: independent binary classifications, one per element.</summary>
    /// <param name="logits">Unscaled scores, any shape.</param>
    /// <param name="multiClassLabels">Targets in [0, 1], the same shape.</param>
    /// <returns>The mean over all elements of <c>-(y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))</c>, computed stably.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor SigmoidCrossEntropy(Tensor logits, Tensor multiClassLabels) => SigmoidCrossEntropy(logits, multiClassLabels, 0);

    /// <summary>
    /// Sigmoid cross entropy with TensorFlow's label smoothing: the targets become
    /// <c>labels * (1 - labelSmoothing) + labelSmoothing / 2</c>.
    /// </summary>
    /// <param name="logits">Unscaled scores, any shape.</param>
    /// <param name="multiClassLabels">Targets in [0, 1], the same shape.</param>
    /// <param name="labelSmoothing">How far each target moves towards 1/2, in [0, 1].</param>
    /// <returns>The mean over all elements.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Tensor SigmoidCrossEntropy(Tensor logits, Tensor multiClassLabels, double labelSmoothing)
    {
        CheckSameShape(logits, multiClassLabels, nameof(multiClassLabels), rank: null);
        CheckSmoothing(labelSmoothing);
        using var scope = NewDisposeScope();
        var targets = Smooth(multiClassLabels, labelSmoothing, uniform: labelSmoothing / 2);
        return F.binary_cross_entropy_with_logits(logits, targets).MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared error.</summary>
    /// <param name="predictions">Predictions, any shape.</param>
    /// <param name="targets">Targets, the same shape.</param>
    /// <returns>The mean over all elements of <c>(predictions - targets)²</c>.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor MeanSquaredError(Tensor predictions, Tensor targets)
    {
        CheckSameShape(predictions, targets, nameof(targets), rank: null);
        return F.mse_loss(predictions, targets);
    }

    private static Tensor Smooth(Tensor targets, double labelSmoothing, double uniform) =>
        labelSmoothing == 0 ? targets : targets.mul(1 - labelSmoothing).add(uniform);

    private static void CheckSameShape(Tensor input, Tensor target, string targetName, int? rank)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.shape.AsSpan().SequenceEqual(target.shape) || (rank is { } expected && input.dim() != expected))
        {
            string required = rank == 2 ? "both [N, C]" : "the same shape";
            throw new ArgumentException(
                $"The input {ShapeGuard.Format(input.shape)} and the target {ShapeGuard.Format(target.shape)} must have {required}.", targetName);
        }
    }

    private static void CheckSmoothing(double labelSmoothing)
    {
        if (!(labelSmoothing is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must lie in [0, 1].");
    }
}
