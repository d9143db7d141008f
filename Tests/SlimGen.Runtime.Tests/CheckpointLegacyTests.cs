using System.Linq;
using SlimGen.Checkpoints;
using SlimGen.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// torch.save's legacy layouts, written by Tests/Fixtures/export_legacy_checkpoint_fixtures.py with Debian's PyTorch 1.13
/// and checked there with torch.load, must read as the same tensors as the safetensors files written beside them.
/// </summary>
public class CheckpointLegacyTests
{
    [Theory]
    [InlineData("shared_storages.legacy.pt")]
    [InlineData("shared_storages.tar.pt")]
    public void Tensors_sharing_a_storage_at_offsets_and_with_transposed_strides_read_as_torch_reads_them(string file)
    {
        using var scope = NewDisposeScope();
        var expected = Checkpoint.LoadTensors(CheckpointAssert.Fixture("shared_storages.safetensors"));

        var tensors = Checkpoint.LoadTensors(CheckpointAssert.Fixture(file));

        Assert.Equal(["head", "transposed", "count", "doubles"], tensors.Keys); // the state_dict's order
        foreach (var (name, value) in expected)
            CheckpointAssert.Same(value, tensors[name]);
        Assert.Equal([4L, 1], tensors["transposed"].stride()); // a contiguous copy of the file's strides (1, 4)
    }

    [Fact]
    public void Torchvisions_resnet18_keys_in_the_legacy_format_load_into_the_zoo_model_through_its_name_map()
    {
        using var scope = NewDisposeScope();
        using var model = new ResNet18();
        var expected = Checkpoint.LoadTensors(CheckpointAssert.Fixture("resnet18_stem.safetensors"));

        // The fixture is cut to the stem and the first unit's batch norms, so the load is not strict.
        var report = model.LoadTorchVisionWeights(CheckpointAssert.Fixture("resnet18_stem.legacy.pt"), new LoadOptions { Strict = false });

        Assert.Equal(expected.Count, report.Loaded.Count);
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.Mismatched);
        var state = model.state_dict();
        foreach (var (torchvisionKey, value) in expected)
            CheckpointAssert.Same(value, state[TorchVisionModels.ResNet.Apply(torchvisionKey)]);
        Assert.Equal(11, state["layer1.layer1_1.conv2.bn.num_batches_tracked"].item<long>());
        Assert.Contains("fc.weight", report.Missing);
    }
}
