using SlimGen.Runtime.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>The compile-time activation sizes agree with what the generated model allocates at run time.</summary>
public class SummaryActivationTests
{
    [Fact]
    public void OutputBytes_AreTheFloat32SizesOfTheRuntimeActivations()
    {
        using var model = new EveryLayerNet();
        model.eval();
        using var scope = NewDisposeScope();

        var (_, endpoints) = model.ForwardWithEndpoints(randn(1, 3, 17, 16));

        foreach (var layer in EveryLayerNet.Summary.Layers)
        {
            // Flatten returns a view: it allocates nothing.
            long expected = layer.Op == Op.Flatten ? 0 : endpoints[layer.Scope].numel() * sizeof(float);
            Assert.Equal(expected, layer.OutputBytes);
        }
        Assert.Equal(2 * EveryLayerNet.Summary.ForwardBytes, EveryLayerNet.Summary.ForwardBackwardBytes);
    }
}

public class SlimModelContractTests
{
    [Fact]
    public void A_generated_model_is_an_ISlimModel_whose_summary_and_end_points_are_its_own()
    {
        using var model = new EveryLayerNet();
        model.eval();
        using var scope = NewDisposeScope();
        ISlimModel contract = model;

        Assert.Same(EveryLayerNet.Summary, contract.Summary);
        var input = randn(1, 3, 17, 16);
        var (output, endpoints) = contract.ForwardWithEndpoints(input);
        Assert.Equal(model.call(input).shape, output.shape);
        Assert.Equal(model.ForwardWithEndpoints(input).Endpoints.Keys, endpoints.Keys);
        Assert.Equal(model.RegularizationLoss().item<float>(), contract.RegularizationLoss().item<float>());
    }
}
