using System;
using static TorchSharp.torch;

namespace SlimGen.Data;

/// <summary>
/// Inputs and labels held as two tensors whose first dimension indexes the examples, cut into batches on demand.
/// Batches are views or gathers made in the caller's dispose scope, so a training step that opens one scope per
/// step frees its batch with everything else. The dataset owns its tensors; dispose it to free them.
/// </summary>
public sealed class InMemoryDataset : IDisposable
{
    /// <summary>Creates a dataset that takes ownership of <paramref name="inputs"/> and <paramref name="labels"/>.</summary>
    /// <param name="inputs">One example per row of the first dimension, e.g. images <c>[N, C, H, W]</c>.</param>
    /// <param name="labels">One label (or target row) per example, e.g. class indices <c>[N]</c>.</param>
    /// <exception cref="ArgumentException">The tensors disagree on the number of examples, or there are none.</exception>
    public InMemoryDataset(Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.dim() == 0 || labels.dim() == 0 || inputs.shape[0] != labels.shape[0] || inputs.shape[0] == 0)
        {
            throw new ArgumentException(
                $"Inputs {ShapeGuard.Format(inputs.shape)} and labels {ShapeGuard.Format(labels.shape)} must have the same, non-zero number of examples in their first dimension.",
                nameof(labels));
        }
        // Owned for the dataset's lifetime, whatever dispose scope the caller created them in.
        Inputs = inputs.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>All inputs, first dimension the examples.</summary>
    public Tensor Inputs { get; }

    /// <summary>All labels, first dimension the examples.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of examples.</summary>
    public long Count => Inputs.shape[0];

    /// <summary>The number of batches of <paramref name="batchSize"/> examples; the last one may be smaller unless <paramref name="dropPartial"/>.</summary>
    /// <param name="batchSize">Examples per batch, positive.</param>
    /// <param name="dropPartial">Whether an incomplete last batch is left out.</param>
    public long BatchCount(int batchSize, bool dropPartial = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return dropPartial ? Count / batchSize : (Count + batchSize - 1) / batchSize;
    }

    /// <summary>
    /// A random order of the examples, the same for the same <paramref name="seed"/> on every machine and run,
    /// independent of the global random state (so shuffling does not shift dropout masks, and a resumed run can
    /// recompute the order of an interrupted epoch).
    /// </summary>
    /// <param name="seed">The seed of the permutation.</param>
    /// <returns>An <c>int64</c> tensor <c>[Count]</c> on the CPU, in the caller's dispose scope.</returns>
    public Tensor Permutation(long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        return randperm(Count, ScalarType.Int64, generator: generator);
    }

    /// <summary>
    /// Batch number <paramref name="index"/>: examples <c>[index * batchSize, (index + 1) * batchSize)</c> of
    /// <paramref name="order"/>, or of the stored order when it is null (then the batch is a view, not a copy).
    /// </summary>
    /// <param name="index">The batch number, from 0.</param>
    /// <param name="batchSize">Examples per batch, positive; the last batch holds what is left.</param>
    /// <param name="order">A permutation of the examples, e.g. from <see cref="Permutation"/>; null for the stored order.</param>
    /// <returns>The batch's inputs and labels, in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There is no batch <paramref name="index"/>.</exception>
    public (Tensor Inputs, Tensor Labels) Batch(long index, int batchSize, Tensor? order = null)
    {
        if (index < 0 || index >= BatchCount(batchSize))
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {BatchCount(batchSize)} batches of {batchSize}.");
        long start = index * batchSize;
        long length = Math.Min(batchSize, Count - start);
        if (order is null)
            return (Inputs.narrow(0, start, length), Labels.narrow(0, start, length));
        using var indices = order.narrow(0, start, length);
        return (Inputs.index_select(0, indices), Labels.index_select(0, indices));
    }

    /// <summary>Frees the inputs and labels.</summary>
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}
