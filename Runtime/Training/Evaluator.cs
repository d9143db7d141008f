using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SlimGen.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Training;

/// <summary>
/// TF-Slim's <c>evaluation.evaluate_once</c> for classifiers: runs a model over a dataset in eval mode, without
/// gradients, one dispose scope per batch, and accumulates the loss, accuracy, top-k accuracy and confusion matrix.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="model"/> on every example of <paramref name="data"/>.</summary>
    /// <param name="model">A classifier returning logits <c>[N, C]</c>; its training mode is restored afterwards.</param>
    /// <param name="data">Inputs and class indices; batches are moved to the model's device.</param>
    /// <param name="loss">The loss to average over the examples, e.g. <see cref="Losses.SparseSoftmaxCrossEntropy(Tensor, Tensor)"/>; none when null.</param>
    /// <param name="batchSize">Examples per forward pass, positive.</param>
    /// <param name="topK">The k of the top-k accuracy, at least 1 (clamped to the number of classes).</param>
    /// <returns>The metrics over the whole dataset.</returns>
    public static EvaluationResult Evaluate(
        nn.Module<Tensor, Tensor> model, InMemoryDataset data, Func<Tensor, Tensor, Tensor>? loss = null, int batchSize = 256, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);

        bool wasTraining = model.training;
        var device = TensorHelpers.DeviceOf(model);
        model.eval();
        try
        {
            using var noGrad = no_grad();
            ConfusionMatrix? confusion = null;
            double lossSum = 0;
            long inTopK = 0;
            for (long batch = 0; batch < data.BatchCount(batchSize); batch++)
            {
                using var scope = NewDisposeScope();
                var (inputs, labels) = data.Batch(batch, batchSize);
                inputs = inputs.to(device);
                labels = labels.to(device);
                var logits = model.call(inputs);
                confusion ??= new ConfusionMatrix(checked((int)logits.shape[1]));
                confusion.Add(logits, labels);
                inTopK += Metrics.CountInTopK(logits, labels, Math.Min(topK, confusion.ClassCount));
                if (loss is not null)
                    lossSum += TensorHelpers.ReadScalar(loss(logits, labels)) * labels.shape[0];
            }
            return new EvaluationResult(
                confusion!, loss is null ? null : lossSum / data.Count, Math.Min(topK, confusion!.ClassCount), (double)inTopK / data.Count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

/// <summary>A classifier's metrics over a dataset, from <see cref="Evaluator.Evaluate"/>.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(ConfusionMatrix confusionMatrix, double? loss, int topK, double topKAccuracy)
    {
        ConfusionMatrix = confusionMatrix;
        Loss = loss;
        TopK = topK;
        TopKAccuracy = topKAccuracy;
    }

    /// <summary>The number of examples evaluated.</summary>
    public long Count => ConfusionMatrix.Total;

    /// <summary>The mean loss per example; null when no loss was given.</summary>
    public double? Loss { get; }

    /// <summary>The fraction of examples whose highest-scoring class is the label.</summary>
    public double Accuracy => ConfusionMatrix.Accuracy;

    /// <summary>The k of <see cref="TopKAccuracy"/>.</summary>
    public int TopK { get; }

    /// <summary>The fraction of examples whose label is among the <see cref="TopK"/> highest-scoring classes.</summary>
    public double TopKAccuracy { get; }

    /// <summary>For each class, the fraction of its examples predicted correctly.</summary>
    public IReadOnlyList<double> PerClassAccuracy => ConfusionMatrix.PerClassAccuracy;

    /// <summary>Actual against predicted classes.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>
    /// The scalar metrics by name (<c>accuracy</c>, <c>top5_accuracy</c>, and <c>loss</c> when known), e.g. for
    /// <see cref="TrainerOptions.EvaluateAfterEachEpoch"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> ToScalars()
    {
        var scalars = new Dictionary<string, double>
        {
            ["accuracy"] = Accuracy,
            [string.Create(CultureInfo.InvariantCulture, $"top{TopK}_accuracy")] = TopKAccuracy,
        };
        if (Loss is { } loss)
            scalars["loss"] = loss;
        return scalars;
    }
}
