using System;
using System.Linq;
using SlimGen.Checkpoints;
using SlimGen.Runtime.Tests.Models;
using SlimGen.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Restoring all but some scopes, and freezing scopes, both matched by whole path segment.</summary>
public class CheckpointFineTuningTests
{
    [Fact]
    public void Excluding_fc8_leaves_fc8_as_it_was_but_restores_fc80()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("prefix.safetensors");
        using var source = new PrefixNet();
        Checkpoint.Save(source, path);
        using var target = new PrefixNet();
        var before = CheckpointAssert.Snapshot(target);

        var report = Checkpoint.Load(target, path, new LoadOptions { ExcludeScopes = ["fc8"] });

        Assert.True(report.IsComplete);
        Assert.Equal(["fc8.weight", "fc8.bias"], report.Excluded);
        Assert.Equal(["fc80.weight", "fc80.bias"], report.Loaded);
        var state = target.state_dict();
        CheckpointAssert.Same(before["fc8.weight"], state["fc8.weight"]);
        CheckpointAssert.Same(source.state_dict()["fc80.weight"], state["fc80.weight"]);
    }

    [Fact]
    public void A_new_head_with_fewer_classes_loads_everything_but_fc8_strictly()
    {
        // The example, Vgg16(numClasses: 10) from ImageNet weights, on the reduced VGG of the fixtures.
        using var scope = NewDisposeScope();
        using var model = new TinyVgg(numClasses: 4);
        var fc8 = model.state_dict()["fc8.weight"].detach().clone();

        var report = TorchVisionVgg.Load(model, TinyVgg.Summary, CheckpointAssert.Fixture("tiny_vgg.safetensors"),
            new LoadOptions { ExcludeScopes = ["fc8"] });

        Assert.True(report.IsComplete);
        Assert.Equal(14, report.Loaded.Count);
        Assert.Equal(["fc8.weight", "fc8.bias"], report.Excluded);
        CheckpointAssert.Same(fc8, model.state_dict()["fc8.weight"]);
    }

    [Fact]
    public void An_excluded_scope_that_matches_nothing_is_a_problem_and_tensorflow_slashes_name_scopes()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("every-layer.safetensors");
        using var source = new EveryLayerNet();
        Checkpoint.Save(source, path);
        using var model = new EveryLayerNet();

        var error = Assert.Throws<CheckpointException>(() =>
            Checkpoint.Load(model, path, new LoadOptions { ExcludeScopes = ["conv1/conv1_2", "fc_8"] }));
        var report = Checkpoint.Load(model, path, new LoadOptions { ExcludeScopes = ["conv1/conv1_2"] });

        Assert.Equal(["fc_8"], error.Report!.UnmatchedExcludeScopes);
        Assert.Contains("excluded scopes that match no key (1):", error.Message);
        Assert.Equal(["conv1.conv1_2.weight", "conv1.conv1_2.bias"], report.Excluded);
    }

    [Fact]
    public void Freezing_fc8_stops_its_gradients_but_not_fc80s()
    {
        using var scope = NewDisposeScope();
        using var model = new PrefixNet();

        ModelScopes.Freeze(model, "fc8");
        model.call(randn(2, 4)).sum().backward();

        var parameters = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter);
        Assert.False(parameters["fc8.weight"].requires_grad);
        Assert.False(parameters["fc8.bias"].requires_grad);
        Assert.Null(parameters["fc8.weight"].grad);
        Assert.True(parameters["fc80.weight"].requires_grad);
        Assert.NotNull(parameters["fc80.weight"].grad);
    }

    [Fact]
    public void Freeze_all_except_the_head_then_unfreeze()
    {
        using var scope = NewDisposeScope();
        using var model = new TinyVgg();

        ModelScopes.FreezeAllExcept(model, "fc8");
        var trainable = model.named_parameters().Where(pair => pair.parameter.requires_grad).Select(pair => pair.name);
        Assert.Equal(["fc8.weight", "fc8.bias"], trainable);

        ModelScopes.Unfreeze(model, "conv3/conv3_2");
        Assert.Equal(["conv3.conv3_2.weight", "conv3.conv3_2.bias", "fc8.weight", "fc8.bias"], trainable);

        ModelScopes.UnfreezeAll(model);
        Assert.All(model.parameters(), parameter => Assert.True(parameter.requires_grad));
    }

    [Fact]
    public void Freezing_a_scope_the_model_lacks_or_no_scope_is_an_error()
    {
        using var model = new PrefixNet();

        var unknown = Assert.Throws<ArgumentException>(() => ModelScopes.Freeze(model, "fc8", "fc9", "fc"));
        Assert.Throws<ArgumentException>(() => ModelScopes.Freeze(model));
        Assert.Throws<ArgumentException>(() => ModelScopes.Freeze(model, "fc8."));

        Assert.StartsWith("PrefixNet has no parameter under scope(s) 'fc9', 'fc'.", unknown.Message);
        Assert.All(model.parameters(), parameter => Assert.True(parameter.requires_grad));
    }
}
