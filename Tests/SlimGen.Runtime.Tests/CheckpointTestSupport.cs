using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>A fresh directory under the system's temporary directory, deleted with its files.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slimgen-checkpoint-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Fixture files, model snapshots and comparisons for the checkpoint tests.</summary>
internal static class CheckpointAssert
{
    /// <summary>A file written by Tests/Fixtures/export_checkpoint_fixtures.py.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints", name);

    /// <summary>Copies of every parameter and buffer, owned by the caller's dispose scope.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.detach().clone());

    /// <summary>Asserts that every parameter and buffer of <paramref name="model"/> equals its <paramref name="snapshot"/>.</summary>
    public static void Unchanged(nn.Module model, Dictionary<string, Tensor> snapshot)
    {
        var state = model.state_dict();
        Assert.Equal(snapshot.Keys.Order(), state.Keys.Order());
        foreach (var (key, value) in snapshot)
            Assert.True(Identical(value, state[key]), $"'{key}' changed.");
    }

    /// <summary>Asserts equal shapes and values within 1e-5 relative (1e-6 absolute), PyTorch's <c>allclose</c> rule.</summary>
    public static void Close(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (actual - expected).abs().max();
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"max |difference| {difference.item<float>():R}");
    }

    /// <summary>Asserts that two tensors have the same element type, shape and values.</summary>
    public static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(Identical(expected, actual), "The values differ.");
    }

    /// <summary>Same element type, shape and values.</summary>
    public static bool Identical(Tensor expected, Tensor actual)
    {
        using var equal = expected.eq(actual).all();
        return expected.dtype == actual.dtype && expected.shape.SequenceEqual(actual.shape) && equal.item<bool>();
    }
}
