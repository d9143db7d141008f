using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SlimGen.Checkpoints;
using SlimGen.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Saving and loading in each format, named tensors of every supported type, and atomic replacement.</summary>
public class CheckpointRoundTripTests
{
    public static TheoryData<CheckpointFormat> Formats => new(Enum.GetValues<CheckpointFormat>());

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_saved_model_loads_into_a_fresh_one_with_every_parameter_and_buffer_detecting_the_format_from_content(CheckpointFormat format)
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        // One extension for every format: the loader must read the format from the bytes.
        var path = directory.File("every-layer.ckpt");
        torch.manual_seed(1);
        using var source = new EveryLayerNet();
        using (no_grad())
        {
            source.state_dict()["conv2.bn.running_mean"].copy_(randn(6));
            source.state_dict()["bn.num_batches_tracked"].fill_(3);
        }
        torch.manual_seed(2);
        using var target = new EveryLayerNet();

        Checkpoint.Save(source, path, format);
        var report = Checkpoint.Load(target, path);

        Assert.True(report.IsComplete);
        Assert.Equal(source.state_dict().Count, report.Loaded.Count);
        CheckpointAssert.Unchanged(target, CheckpointAssert.Snapshot(source));
    }

    [Fact]
    public void Files_of_torchsharps_own_module_save_and_load_interoperate()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        torch.manual_seed(4);
        using var source = new EveryLayerNet();
        using var viaSlimGen = new EveryLayerNet();
        using var viaTorchSharp = new EveryLayerNet();

        source.save(directory.File("module-save.dat"));
        Checkpoint.Load(viaSlimGen, directory.File("module-save.dat"));
        Checkpoint.Save(viaSlimGen, directory.File("checkpoint.dat"), CheckpointFormat.TorchSharp);
        viaTorchSharp.load(directory.File("checkpoint.dat"));

        CheckpointAssert.Unchanged(viaTorchSharp, CheckpointAssert.Snapshot(source));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Named_tensors_of_every_supported_type_and_shape_round_trip(CheckpointFormat format)
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("state.bin");
        var tensors = new Dictionary<string, Tensor>
        {
            ["float32"] = randn(2, 3),
            ["float64.scalar"] = tensor(2.5),
            ["float16"] = randn(4).to_type(ScalarType.Float16),
            ["bfloat16"] = randn(4).to_type(ScalarType.BFloat16),
            ["int64.step"] = tensor(1234567890123L),
            ["int32"] = arange(6, ScalarType.Int32).reshape(2, 3),
            ["int16"] = tensor(new short[] { -3, 7 }),
            ["int8"] = tensor(new sbyte[] { -128, 127 }),
            ["uint8"] = tensor(new byte[] { 0, 255 }),
            ["bool"] = tensor(new[] { true, false, true }),
            ["empty"] = zeros(0, 3),
            ["transposed"] = randn(3, 2).t(), // not contiguous: saved in row-major order of its own shape
        };

        Checkpoint.SaveTensors(tensors, path, format);
        var loaded = Checkpoint.LoadTensors(path);

        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        if (format != CheckpointFormat.PyTorch) // PyBridge hands a state_dict over as a Hashtable, without its order
            Assert.Equal(tensors.Keys, loaded.Keys);
        foreach (var (name, expected) in tensors)
            CheckpointAssert.Same(expected, loaded[name]);
    }

    [Fact]
    public void Saving_replaces_the_previous_file_and_creates_missing_directories()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File(Path.Combine("run", "step", "state.safetensors"));

        Checkpoint.SaveTensors(new Dictionary<string, Tensor> { ["step"] = tensor(1L) }, path);
        Checkpoint.SaveTensors(new Dictionary<string, Tensor> { ["step"] = tensor(2L) }, path);

        Assert.Equal(2L, Checkpoint.LoadTensors(path)["step"].item<long>());
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_interrupted_save_leaves_the_previous_file_intact_and_no_temporary_file()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.safetensors");
        torch.manual_seed(3);
        using var model = new PrefixNet();
        Checkpoint.Save(model, path);
        var saved = File.ReadAllBytes(path);

        var crash = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("disk full (simulated)");
        }));

        Assert.Equal("disk full (simulated)", crash.Message);
        Assert.Equal(saved, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_tensor_type_the_format_cannot_store_fails_before_the_previous_file_is_touched()
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var path = directory.File("state.safetensors");
        Checkpoint.SaveTensors(new Dictionary<string, Tensor> { ["kept"] = ones(2) }, path);

        var error = Assert.Throws<ArgumentException>(() =>
            Checkpoint.SaveTensors(new Dictionary<string, Tensor> { ["complex"] = randn(2, ScalarType.ComplexFloat32) }, path));

        Assert.Contains("ComplexFloat32", error.Message);
        CheckpointAssert.Same(ones(2), Checkpoint.LoadTensors(path)["kept"]);
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }
}
