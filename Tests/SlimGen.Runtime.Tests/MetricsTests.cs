using System;
using System.Linq;
using SlimGen.Data;
using SlimGen.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Accuracy, top-k, the confusion matrix and the evaluation loop, on hand-made scores.</summary>
public class MetricsTests
{
    // Four examples of three classes. Rankings: [2, 1, 0], [0, 2, 1], [1, 0, 2], [2, 0, 1].
    private static Tensor Logits() => tensor(new[] { 0.1f, 0.3f, 0.6f, 0.7f, 0.1f, 0.2f, 0.3f, 0.5f, 0.2f, 0.4f, 0.1f, 0.5f }).reshape(4, 3);

    private static Tensor Labels() => tensor(new[] { 2L, 2L, 0L, 1L });

    [Fact]
    public void Accuracy_and_top_k_count_the_label_among_the_best_classes()
    {
        using var logits = Logits();
        using var labels = Labels();

        Assert.Equal(0.25, Metrics.Accuracy(logits, labels));
        Assert.Equal(0.75, Metrics.TopKAccuracy(logits, labels, 2));
        Assert.Equal(4, Metrics.CountInTopK(logits, labels, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.TopKAccuracy(logits, labels, 4));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(logits, zeros(3, ScalarType.Int64)));
    }

    [Fact]
    public void Confusion_matrix_counts_actual_against_predicted_over_batches()
    {
        var matrix = new ConfusionMatrix(3);
        using var logits = Logits();
        using var labels = Labels();

        matrix.Add(logits, labels);
        matrix.Add(logits.narrow(0, 0, 1), labels.narrow(0, 0, 1));

        // Predictions: 2, 0, 1, 2 and again 2; labels: 2, 2, 0, 1 and again 2.
        Assert.Equal(5, matrix.Total);
        Assert.Equal(2, matrix[2, 2]);
        Assert.Equal(1, matrix[2, 0]);
        Assert.Equal(1, matrix[0, 1]);
        Assert.Equal(1, matrix[1, 2]);
        Assert.Equal(0.4, matrix.Accuracy);
        Assert.Equal(new[] { 0.0, 0.0, 2.0 / 3 }, matrix.PerClassAccuracy);
    }

    [Fact]
    public void A_class_without_examples_has_no_accuracy_and_a_bad_label_is_refused()
    {
        var matrix = new ConfusionMatrix(3);
        using var logits = Logits();

        matrix.Add(logits, tensor(new[] { 0L, 0L, 0L, 0L }));

        Assert.True(double.IsNaN(matrix.PerClassAccuracy[1]));
        Assert.Throws<ArgumentException>(() => matrix.Add(logits, tensor(new[] { 0L, 3L, 0L, 0L })));
        Assert.Equal(4, matrix.Total);
    }

    [Fact]
    public void Confusion_matrix_prints_as_a_table_with_class_names()
    {
        var matrix = new ConfusionMatrix(3);
        using var logits = Logits();
        using var labels = Labels();
        matrix.Add(logits, labels);

        string text = matrix.ToString(["cat", "dog", "bird"]);

        string[] lines = text.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("bird", lines[3]);
        Assert.EndsWith("0.500", lines[3]);
        Assert.Throws<ArgumentException>(() => matrix.ToString(["cat"]));
    }

    [Fact]
    public void Evaluation_runs_every_batch_without_gradients_and_restores_training_mode()
    {
        using var model = new ScoresAsLogits();
        using var data = new InMemoryDataset(Logits(), Labels());
        model.train();

        var result = Evaluator.Evaluate(model, data, Losses.SparseSoftmaxCrossEntropy, batchSize: 3, topK: 2);

        Assert.True(model.training);
        Assert.False(model.SawGradients);
        Assert.Equal(4, result.Count);
        Assert.Equal(0.25, result.Accuracy);
        Assert.Equal(0.75, result.TopKAccuracy);
        using var expectedLoss = Losses.SparseSoftmaxCrossEntropy(data.Inputs, data.Labels);
        Assert.Equal(expectedLoss.item<float>(), result.Loss!.Value, 1e-6);
        Assert.Equal(["accuracy", "top2_accuracy", "loss"], result.ToScalars().Keys);
    }

    [Fact]
    public void Evaluation_clamps_top_k_to_the_number_of_classes_and_reports_no_loss_without_one()
    {
        using var model = new ScoresAsLogits();
        using var data = new InMemoryDataset(Logits(), Labels());

        var result = Evaluator.Evaluate(model, data);

        Assert.Equal(3, result.TopK);
        Assert.Equal(1.0, result.TopKAccuracy);
        Assert.Null(result.Loss);
    }

    /// <summary>Returns its input as the logits, scaled by one weight, and records whether autograd was on.</summary>
    private sealed class ScoresAsLogits : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Parameter scale = nn.Parameter(ones(1));

        public ScoresAsLogits()
            : base(nameof(ScoresAsLogits)) => RegisterComponents();

        public bool SawGradients { get; private set; }

        public override Tensor forward(Tensor input)
        {
            SawGradients |= is_grad_enabled();
            return input * scale;
        }
    }
}
