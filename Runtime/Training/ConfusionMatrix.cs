using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace SlimGen.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs, accumulated over batches. Rows are the actual classes,
/// columns the predicted ones; the diagonal holds the correct predictions.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    /// <summary>Creates an empty matrix.</summary>
    /// <param name="classCount">The number of classes, positive.</param>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ClassCount = classCount;
        counts = new long[classCount * classCount];
    }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The label.</param>
    /// <param name="predicted">The predicted class.</param>
    public long this[int actual, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(actual);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(actual, ClassCount);
            ArgumentOutOfRangeException.ThrowIfNegative(predicted);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, ClassCount);
            return counts[actual * ClassCount + predicted];
        }
    }

    /// <summary>The number of examples counted.</summary>
    public long Total => counts.Sum();

    /// <summary>The fraction of examples predicted correctly; NaN when the matrix is empty.</summary>
    public double Accuracy => (double)Enumerable.Range(0, ClassCount).Sum(c => this[c, c]) / Total;

    /// <summary>
    /// For each class, the fraction of its examples predicted correctly (its recall); NaN for a class without
    /// examples.
    /// </summary>
    public IReadOnlyList<double> PerClassAccuracy =>
        Enumerable.Range(0, ClassCount)
            .Select(actual => (double)this[actual, actual] / Enumerable.Range(0, ClassCount).Sum(predicted => this[actual, predicted]))
            .ToArray();

    /// <summary>Counts a batch: the highest-scoring class of each row of <paramref name="logits"/> against its label.</summary>
    /// <param name="logits">Scores <c>[N, ClassCount]</c>.</param>
    /// <param name="labels">Class indices <c>[N]</c>, each in [0, ClassCount).</param>
    /// <exception cref="ArgumentException">The shapes do not match, or a label is out of range.</exception>
    public void Add(Tensor logits, Tensor labels)
    {
        Metrics.CheckClassification(logits, labels);
        if (logits.shape[1] != ClassCount)
            throw new ArgumentException($"The logits {ShapeGuard.Format(logits.shape)} do not score the matrix's {ClassCount} classes.", nameof(logits));
        using var scope = NewDisposeScope();
        var actual = labels.to_type(ScalarType.Int64);
        if (actual.min().item<long>() < 0 || actual.max().item<long>() >= ClassCount)
            throw new ArgumentException($"Every label must lie in [0, {ClassCount}).", nameof(labels));
        // One histogram of the flat cell index actual * C + predicted fills the whole matrix in one native call.
        var cells = actual.mul(ClassCount).add(logits.argmax(1)).bincount(weights: null, minlength: ClassCount * ClassCount);
        var batchCounts = cells.cpu().data<long>().ToArray();
        for (int i = 0; i < counts.Length; i++)
            counts[i] += batchCounts[i];
    }

    /// <summary>The matrix as a text table, rows the actual classes, with each class's accuracy in the last column.</summary>
    /// <param name="classNames">Row and column labels, one per class; the class indices when null.</param>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> does not have one name per class.</exception>
    public string ToString(IReadOnlyList<string>? classNames)
    {
        var names = classNames ?? Enumerable.Range(0, ClassCount).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Count != ClassCount)
            throw new ArgumentException($"Expected {ClassCount} class names, got {names.Count}.", nameof(classNames));

        const string corner = "actual \\ predicted";
        int nameWidth = Math.Max(names.Max(name => name.Length), corner.Length) + 1;
        int cellWidth = Math.Max(counts.Max().ToString(CultureInfo.InvariantCulture).Length, 5) + 1;
        var text = new StringBuilder();
        text.Append(corner.PadRight(nameWidth));
        for (int predicted = 0; predicted < ClassCount; predicted++)
            text.Append(predicted.ToString(CultureInfo.InvariantCulture).PadLeft(cellWidth));
        text.AppendLine("  accuracy");
        var perClass = PerClassAccuracy;
        for (int actual = 0; actual < ClassCount; actual++)
        {
            text.Append(names[actual].PadRight(nameWidth));
            for (int predicted = 0; predicted < ClassCount; predicted++)
                text.Append(this[actual, predicted].ToString(CultureInfo.InvariantCulture).PadLeft(cellWidth));
            text.Append(perClass[actual].ToString("0.000", CultureInfo.InvariantCulture).PadLeft(10)).AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The matrix as a text table with the class indices as labels.</summary>
    public override string ToString() => ToString(null);
}
