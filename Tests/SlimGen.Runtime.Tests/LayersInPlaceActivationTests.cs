using System;
using SlimGen.Layers;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Layers apply some activations in place on their fresh outputs; autograd must see the same function. The reference
/// is the out-of-place formula in float64, which runs other kernels than the layer's float32 ones.
/// </summary>
public class LayersInPlaceActivationTests
{
    public static TheoryData<Act> Activations => new(Enum.GetValues<Act>());

    [Theory]
    [MemberData(nameof(Activations))]
    public void FullyConnected_GradientsMatchTheOutOfPlaceFormula(Act activation)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var layer = new FullyConnected(5, 4, activation);
        var input = randn(3, 5).requires_grad_();
        var referenceInput = input.detach().to(float64).requires_grad_();
        var weight = layer.weight.detach().to(float64).requires_grad_();
        var bias = layer.bias!.detach().to(float64).requires_grad_();
        var upstream = randn(3, 4);

        var output = layer.call(input);
        output.backward([upstream]);
        upstream = upstream.to(float64);
        var expected = SlimGen.Activations.Apply(F.linear(referenceInput, weight, bias), activation);
        expected.backward([upstream]);

        AssertClose(expected, output);
        AssertClose(referenceInput.grad!, input.grad!);
        AssertClose(weight.grad!, layer.weight.grad!);
        AssertClose(bias.grad!, layer.bias.grad!);
    }

    [Theory]
    [InlineData(Act.Relu)]
    [InlineData(Act.Tanh)]
    public void Conv2dWithBatchNorm_InTraining_GradientsMatchTheOutOfPlaceFormula(Act activation)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var layer = new Conv2d(2, 3, 3, activation: activation, normalizer: Norm.BatchNorm);
        layer.train();
        var input = randn(4, 2, 5, 5).requires_grad_();
        var referenceInput = input.detach().to(float64).requires_grad_();
        var weight = layer.weight.detach().to(float64).requires_grad_();
        var upstream = randn(4, 3, 5, 5);

        var output = layer.call(input);
        output.backward([upstream]);
        upstream = upstream.to(float64);
        var normalized = F.batch_norm(
            F.conv2d(referenceInput, weight, padding: [1, 1]), zeros(3, float64), ones(3, float64), ones(3, float64), zeros(3, float64),
            training: true);
        var expected = SlimGen.Activations.Apply(normalized, activation);
        expected.backward([upstream]);

        AssertClose(expected, output);
        AssertClose(referenceInput.grad!, input.grad!);
        AssertClose(weight.grad!, layer.weight.grad!);
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(allclose(actual.to(float64), expected, rtol: 1e-4, atol: 1e-5), $"expected {expected.ToString(TorchSharp.TensorStringStyle.Julia)}\nactual {actual.ToString(TorchSharp.TensorStringStyle.Julia)}");
}
