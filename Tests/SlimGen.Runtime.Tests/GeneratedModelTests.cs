using System;
using System.Linq;
using SlimGen.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen.Runtime.Tests;

/// <summary>Models generated from attributes in this project, run through TorchSharp.</summary>
public class GeneratedModelTests
{
    [Fact]
    public void Forward_matches_the_same_network_written_with_functional_ops()
    {
        torch.manual_seed(1);
        using var model = new AsymmetricNet();
        model.eval();
        var state = model.state_dict();
        using var input = torch.randn(2, 1, 6, 6);

        using var actual = model.call(input);

        // TensorFlow's SAME for kernel 3, stride 2 on 6: 1 padding cell, all of it at the bottom and right. In float64,
        // which runs other kernels than the model's float32 (libtorch's float32 kernels differ between CPUs).
        using var scope = NewDisposeScope();
        var padded = F.pad(input.to(float64), new long[] { 0, 1, 0, 1 });
        var conv = F.relu(F.conv2d(padded, state["conv.weight"].to(float64), state["conv.bias"].to(float64), strides: new long[] { 2, 2 }));
        var expected = F.linear(conv.flatten(1), state["logits.weight"].to(float64), state["logits.bias"].to(float64));
        Assert.Equal(new long[] { 2, 3 }, actual.shape);
        Assert.True(actual.to(float64).allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_float64_batch_is_refused_before_any_native_call_with_the_conversion_to_make()
    {
        using var model = new AsymmetricNet();
        using var input = torch.randn(new long[] { 2, 1, 6, 6 }, dtype: ScalarType.Float64);

        var error = Assert.Throws<ArgumentException>(() => model.call(input));

        Assert.StartsWith("AsymmetricNet holds float32 parameters on cpu but got float64 input on cpu. Convert the input with input.to(torch.float32)", error.Message);
    }

    [Fact]
    public void Runtime_shapes_equal_the_compile_time_summary()
    {
        using var model = new EveryLayerNet();
        model.eval();
        using var scope = NewDisposeScope();

        var (output, endpoints) = model.ForwardWithEndpoints(torch.randn(3, 3, 17, 16));

        var summary = EveryLayerNet.Summary;
        Assert.Equal(summary.Layers.Select(l => l.Scope), endpoints.Keys);
        foreach (var layer in summary.Layers)
        {
            Assert.Equal(new long[] { 3 }.Concat(layer.OutputShape), endpoints[layer.Scope].shape);
        }
        Assert.Same(endpoints["logits"], output);
        Assert.Equal(summary.TotalParameters, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void State_dict_keys_follow_the_scopes()
    {
        using var model = new EveryLayerNet();

        // TorchSharp lists every parameter before the buffers, so compare as sets.
        var keys = model.state_dict().Keys.Order().ToArray();

        Assert.Equal(new[]
        {
            "conv1.conv1_1.weight", "conv1.conv1_1.bias", "conv1.conv1_2.weight", "conv1.conv1_2.bias",
            "conv2.weight", "conv2.bn.weight", "conv2.bn.bias", "conv2.bn.running_mean", "conv2.bn.running_var", "conv2.bn.num_batches_tracked",
            "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
            "fc.fc_1.weight", "fc.fc_1.bias", "fc.fc_2.weight", "fc.fc_2.bias",
            "logits.weight", "logits.bias",
        }.Order(), keys);
    }

    [Fact]
    public void A_model_nested_in_another_module_registers_each_layer_once()
    {
        using var outer = new Wrapper(new AsymmetricNet());

        Assert.Equal(new[] { "net.conv.weight", "net.conv.bias", "net.logits.weight", "net.logits.bias" }, outer.state_dict().Keys);
    }

    private sealed class Wrapper : nn.Module<Tensor, Tensor>
    {
        private readonly AsymmetricNet net;

        public Wrapper(AsymmetricNet net) : base(nameof(Wrapper))
        {
            this.net = net;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => net.call(input);
    }

    [Fact]
    public void Wrong_input_shape_throws_a_managed_exception_naming_both_shapes()
    {
        using var model = new AsymmetricNet();
        using var input = torch.zeros(4, 3, 6, 6);

        var error = Assert.Throws<ShapeMismatchException>(() => model.call(input));

        Assert.Contains("AsymmetricNet", error.Message);
        Assert.Contains("[N, 1, 6, 6]", error.Message);
        Assert.Contains("[4, 3, 6, 6]", error.Message);
    }

    [Fact]
    public void Regularization_loss_is_half_the_decayed_sum_of_squared_weights()
    {
        using var model = new EveryLayerNet();
        var state = model.state_dict();
        double SumOfSquares(string key) => state[key].pow(2).sum().item<float>();

        using var loss = model.RegularizationLoss();

        // conv1 and conv2 inherit 0.01 from the arg scope, the stack says 0.1, logits turns it off. Biases are not decayed.
        double expected = 0.01 / 2 * (SumOfSquares("conv1.conv1_1.weight") + SumOfSquares("conv1.conv1_2.weight") + SumOfSquares("conv2.weight"))
            + 0.1 / 2 * (SumOfSquares("fc.fc_1.weight") + SumOfSquares("fc.fc_2.weight"));
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Constructor_parameters_size_the_model()
    {
        using var model = new EveryLayerNet(dropoutRate: 0.25, numClasses: 7, dtype: ScalarType.Float64);
        model.eval();
        using var input = torch.randn(new long[] { 2, 3, 17, 16 }, dtype: ScalarType.Float64);

        using var output = model.call(input);

        Assert.Equal(new long[] { 2, 7 }, output.shape);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
    }

    [Fact]
    public void Dropout_is_active_in_training_and_off_in_evaluation()
    {
        torch.manual_seed(3);
        using var model = new EveryLayerNet(dropoutRate: 0.5);
        using var input = torch.randn(4, 3, 17, 16);

        model.eval();
        using var first = model.call(input);
        using var second = model.call(input);
        Assert.True(first.allclose(second, rtol: 0, atol: 0));

        model.train();
        using var third = model.call(input);
        using var fourth = model.call(input);
        Assert.False(third.allclose(fourth, rtol: 0, atol: 0));
    }
}
