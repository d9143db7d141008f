using System;
using System.Collections.Generic;
using System.Linq;
using SlimGen.Checkpoints;
using SlimGen.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Checkpoints that do not fit the model: strict and non-strict loads, name maps.</summary>
public class CheckpointLoadTests
{
    // PrefixNet: fc8.weight [6, 4], fc8.bias [6], fc80.weight [3, 6], fc80.bias [3]. This checkpoint has fc8.weight
    // with the wrong shape, no fc80.weight, and an fc9.weight the model lacks; fc8.bias and fc80.bias fit.
    private static Dictionary<string, Tensor> MisfitCheckpoint() => new()
    {
        ["fc8.weight"] = randn(6, 5),
        ["fc8.bias"] = randn(6),
        ["fc80.bias"] = randn(3),
        ["fc9.weight"] = randn(2, 2),
    };

    [Fact]
    public void A_strict_load_lists_every_problem_in_one_error_and_changes_nothing()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("misfit.safetensors");
        Checkpoint.SaveTensors(MisfitCheckpoint(), path);
        using var model = new PrefixNet();
        var before = CheckpointAssert.Snapshot(model);

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(model, path));

        Assert.Equal(
            $"Checkpoint '{path}': does not fit PrefixNet; nothing was loaded. 3 problem(s):\n" +
            "  missing from the checkpoint (1):\n    fc80.weight\n" +
            "  not in the model (1):\n    fc9.weight\n" +
            "  wrong shape (1):\n    fc8.weight: model [6, 4], checkpoint [6, 5]\n" +
            "Fix the model or the name map, or load with LoadOptions { Strict = false } to take what fits, " +
            "or with ExcludeScopes to leave scopes as they are.",
            error.Message.ReplaceLineEndings("\n"));
        Assert.Equal(path, error.Path);
        Assert.Empty(error.Report!.Loaded);
        CheckpointAssert.Unchanged(model, before);
    }

    [Fact]
    public void A_non_strict_load_returns_the_same_problems_and_loads_what_fits()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("misfit.safetensors");
        var checkpoint = MisfitCheckpoint();
        Checkpoint.SaveTensors(checkpoint, path);
        using var model = new PrefixNet();
        var before = CheckpointAssert.Snapshot(model);

        var report = Checkpoint.Load(model, path, new LoadOptions { Strict = false });

        Assert.False(report.IsComplete);
        Assert.Equal(["fc8.bias", "fc80.bias"], report.Loaded);
        Assert.Equal(["fc80.weight"], report.Missing);
        Assert.Equal([new UnexpectedKey("fc9.weight", "fc9.weight")], report.Unexpected);
        var mismatch = Assert.Single(report.Mismatched);
        Assert.Equal("fc8.weight", mismatch.ModelKey);
        Assert.Equal([6, 4], mismatch.ModelShape);
        Assert.Equal([6, 5], mismatch.CheckpointShape);
        var state = model.state_dict();
        CheckpointAssert.Same(checkpoint["fc8.bias"], state["fc8.bias"]);
        CheckpointAssert.Same(checkpoint["fc80.bias"], state["fc80.bias"]);
        CheckpointAssert.Same(before["fc8.weight"], state["fc8.weight"]);
        CheckpointAssert.Same(before["fc80.weight"], state["fc80.weight"]);
    }

    [Fact]
    public void A_function_name_map_renames_checkpoint_keys_before_matching()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("data-parallel.pt");
        using var source = new PrefixNet();
        // nn.DataParallel's keys: module.fc8.weight, ...
        Checkpoint.SaveTensors(source.state_dict().ToDictionary(pair => "module." + pair.Key, pair => pair.Value), path, CheckpointFormat.PyTorch);
        using var target = new PrefixNet();

        var report = Checkpoint.Load(target, path, new LoadOptions { NameMap = (Func<string, string>)(key => key["module.".Length..]) });

        Assert.True(report.IsComplete);
        CheckpointAssert.Unchanged(target, CheckpointAssert.Snapshot(source));
    }

    [Fact]
    public void Prefix_name_maps_match_whole_path_segments_and_report_keys_they_send_nowhere()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("layers.safetensors");
        // "layers.1" must not rename "layers.10.weight" into "fc80.weight"... or "fc8" + "0.weight".
        Checkpoint.SaveTensors(new Dictionary<string, Tensor>
        {
            ["layers.1.weight"] = randn(6, 4),
            ["layers.1.bias"] = randn(6),
            ["layers.10.weight"] = randn(3, 6),
            ["layers.10.bias"] = randn(3),
            ["layers.100.bias"] = randn(3),
        }, path);
        using var model = new PrefixNet();
        NameMap map = new Dictionary<string, string> { ["layers.1"] = "fc8", ["layers/10"] = "fc80" };

        var report = Checkpoint.Load(model, path, new LoadOptions { NameMap = map, Strict = false });

        Assert.Equal(["fc8.weight", "fc8.bias", "fc80.weight", "fc80.bias"], report.Loaded);
        Assert.Equal([new UnexpectedKey("layers.100.bias", "layers.100.bias")], report.Unexpected);
        Assert.Equal("fc80.bias", map.Apply("layers.10.bias"));
        Assert.Equal("layers.1x.bias", map.Apply("layers.1x.bias"));
    }

    [Fact]
    public void Values_are_converted_to_the_models_element_types()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("float64.safetensors");
        using var source = new PrefixNet();
        Checkpoint.SaveTensors(source.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.to_type(ScalarType.Float64)), path);
        using var target = new PrefixNet();

        Checkpoint.Load(target, path);

        Assert.Equal(ScalarType.Float32, target.state_dict()["fc8.weight"].dtype);
        CheckpointAssert.Unchanged(target, CheckpointAssert.Snapshot(source));
    }

    [Fact]
    public void A_name_map_that_sends_two_keys_to_one_fails_the_load()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("two.safetensors");
        Checkpoint.SaveTensors(new Dictionary<string, Tensor> { ["a.bias"] = randn(6), ["b.bias"] = randn(6) }, path);
        using var model = new PrefixNet();

        var error = Assert.Throws<CheckpointException>(() =>
            Checkpoint.Load(model, path, new LoadOptions { NameMap = NameMap.FromFunction(_ => "fc8.bias") }));

        Assert.Contains("the name map gives both 'a.bias' and 'b.bias' the model key 'fc8.bias'", error.Message);
    }
}
