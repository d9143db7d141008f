using System;
using static TorchSharp.torch;

namespace SlimGen.Training;

/// <summary>Classification metrics of one batch of logits. For a whole dataset use <see cref="Evaluator"/>.</summary>
public static class Metrics
{
    /// <summary>The fraction of examples whose highest-scoring class is the label.</summary>
    /// <param name="logits">Scores <c>[N, C]</c>.</param>
    /// <param name="labels">Class indices <c>[N]</c>.</param>
    /// <exception cref="ArgumentException">The shapes are not <c>[N, C]</c> and <c>[N]</c> with N &gt; 0.</exception>
    public static double Accuracy(Tensor logits, Tensor labels) => TopKAccuracy(logits, labels, 1);

    /// <summary>The fraction of examples whose label is among the <paramref name="k"/> highest-scoring classes.</summary>
    /// <param name="logits">Scores <c>[N, C]</c>.</param>
    /// <param name="labels">Class indices <c>[N]</c>.</param>
    /// <param name="k">How many of the best classes count, in [1, C].</param>
    /// <exception cref="ArgumentException">The shapes are not <c>[N, C]</c> and <c>[N]</c> with N &gt; 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is outside [1, C].</exception>
    public static double TopKAccuracy(Tensor logits, Tensor labels, int k) => (double)CountInTopK(logits, labels, k) / labels.shape[0];

    /// <summary>How many examples have their label among the <paramref name="k"/> highest-scoring classes.</summary>
    /// <param name="logits">Scores <c>[N, C]</c>.</param>
    /// <param name="labels">Class indices <c>[N]</c>.</param>
    /// <param name="k">How many of the best classes count, in [1, C].</param>
    /// <exception cref="ArgumentException">The shapes are not <c>[N, C]</c> and <c>[N]</c> with N &gt; 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is outside [1, C].</exception>
    public static long CountInTopK(Tensor logits, Tensor labels, int k)
    {
        CheckClassification(logits, labels);
        if (k < 1 || k > logits.shape[1])
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {logits.shape[1]}], the number of classes.");
        using var scope = NewDisposeScope();
        var best = logits.topk(k, dim: 1).indexes;
        return best.eq(labels.unsqueeze(1)).any(1).sum().item<long>();
    }

    internal static void CheckClassification(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2 || labels.dim() != 1 || labels.shape[0] != logits.shape[0] || labels.shape[0] == 0)
        {
            throw new ArgumentException(
                $"Classification metrics take logits [N, C] and labels [N] with N > 0, but got {ShapeGuard.Format(logits.shape)} and {ShapeGuard.Format(labels.shape)}.",
                nameof(labels));
        }
    }
}
