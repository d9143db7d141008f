using System;
using System.Linq;
using System.Text.Json;
using SlimGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Each loss and its gradient against PyTorch 1.13 in float64 (Tests/Fixtures/export_loss_fixtures.py), plus hand-computed values.</summary>
public class LossesTests
{
    private const string File = "losses.json";

    public static TheoryData<string> Cases => LayerFixtures.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_and_gradient_match_PyTorch(string name)
    {
        var c = LayerFixtures.Case(File, name);
        using var scope = NewDisposeScope();
        var input = c.Float32("input").requires_grad_(true);
        var target = Target(c);
        double smoothing = c.Double("label_smoothing");
        Func<Tensor, Tensor, Tensor> loss = c.Text("loss") switch
        {
            "SoftmaxCrossEntropy" => (x, y) => Losses.SoftmaxCrossEntropy(x, y, smoothing),
            "SparseSoftmaxCrossEntropy" => (x, y) => Losses.SparseSoftmaxCrossEntropy(x, y, smoothing),
            "SigmoidCrossEntropy" => (x, y) => Losses.SigmoidCrossEntropy(x, y, smoothing),
            "MeanSquaredError" => Losses.MeanSquaredError,
            var other => throw new ArgumentException(other),
        };

        var value = loss(input, target);
        value.backward();

        Assert.Empty(value.shape);
        Assert.Equal(c.Double("expected"), value.item<float>(), 1e-5 * Math.Abs(c.Double("expected")));
        LayerFixtures.AssertClose(input.grad!, c, "gradient");
    }

    [Fact]
    public void Sparse_softmax_cross_entropy_of_two_classes_is_minus_log_of_the_softmax()
    {
        // Logits 0 and ln 3: softmax 1/4 and 3/4.
        using var logits = tensor(new[] { 0f, MathF.Log(3) }).reshape(1, 2);
        using var labels = tensor(new[] { 1L });

        using var loss = Losses.SparseSoftmaxCrossEntropy(logits, labels);

        Assert.Equal(-Math.Log(0.75), loss.item<float>(), 1e-6);
    }

    [Fact]
    public void Full_label_smoothing_makes_the_target_uniform()
    {
        // With smoothing 1 every class gets 1/C whatever the label: the loss is the same for every label.
        using var logits = tensor(new[] { 2f, -1f, 0.5f }).reshape(1, 3);
        using var first = Losses.SparseSoftmaxCrossEntropy(logits, tensor(new[] { 0L }), 1);
        using var last = Losses.SparseSoftmaxCrossEntropy(logits, tensor(new[] { 2L }), 1);
        using var onehot = Losses.SoftmaxCrossEntropy(logits, tensor(new[] { 0f, 1f, 0f }).reshape(1, 3), 1);

        Assert.Equal(first.item<float>(), last.item<float>(), 1e-6);
        Assert.Equal(first.item<float>(), onehot.item<float>(), 1e-6);
    }

    [Fact]
    public void Mismatched_shapes_and_invalid_smoothing_are_argument_errors_that_show_the_shapes()
    {
        using var logits = zeros(4, 3);

        var sparse = Assert.Throws<ArgumentException>(() => Losses.SparseSoftmaxCrossEntropy(logits, zeros(3, ScalarType.Int64)));
        var onehot = Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy(logits, zeros(4, 4)));
        var squared = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(logits, zeros(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SigmoidCrossEntropy(logits, zeros(4, 3), 1.5));

        Assert.Contains("[4, 3] and [3]", sparse.Message);
        Assert.Contains("[4, 4]", onehot.Message);
        Assert.Contains("[4]", squared.Message);
    }

    private static Tensor Target(JsonElement c)
    {
        var json = c.GetProperty("target");
        long[] shape = json.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        return c.Text("loss") == "SparseSoftmaxCrossEntropy"
            ? tensor(json.GetProperty("data").EnumerateArray().Select(e => e.GetInt64()).ToArray(), shape)
            : c.Float32("target");
    }
}
