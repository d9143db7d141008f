using System;
using System.Linq;
using SlimGen.Layers;
using Xunit;

namespace SlimGen.Runtime.Tests;

public class LayersScopeTests
{
    [Fact]
    public void Scope_NestsItsChildrensStateDictKeys()
    {
        using var conv1 = new Conv2d(3, 4, 3);
        using var conv2 = new Conv2d(4, 4, 3, normalizer: Norm.BatchNorm);
        using var model = new Scope(("conv1", new Scope(("conv1_1", conv1), ("conv1_2", conv2))), ("pool1", new MaxPool2d(2)));

        Assert.Equal(
            [
                "conv1.conv1_1.weight", "conv1.conv1_1.bias",
                "conv1.conv1_2.weight", "conv1.conv1_2.bn.weight", "conv1.conv1_2.bn.bias",
                "conv1.conv1_2.bn.running_mean", "conv1.conv1_2.bn.running_var", "conv1.conv1_2.bn.num_batches_tracked",
            ],
            model.state_dict().Keys.ToArray());
        Assert.Equal(5, model.parameters().Count());
    }

    [Fact]
    public void DuplicateChildName_IsRejected()
    {
        Assert.Throws<InvalidOperationException>(() => new Scope(("a", new Flatten()), ("a", new Flatten())));
    }
}
