using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// PyTorch's <c>torch.save</c> zip format (PyTorch 1.6 and later), through TorchSharp.PyBridge, which rebuilds the
/// tensors of a state_dict from its pickle without running any of it. PyBridge reads every tensor when the file is
/// opened, allocating each at the shape the pickle declares before it copies the archive's bytes in: a hostile file can
/// make it reserve memory it never fills. Prefer safetensors for files from sources you do not trust.
/// </summary>
internal static class PyTorchFormat
{
    private static ReadOnlySpan<byte> ZipMagic => "PK\x03\x04"u8;

    public static bool Recognizes(ReadOnlySpan<byte> head) => head.StartsWith(ZipMagic);

    /// <summary>Writes contiguous CPU tensors as a state_dict that <c>torch.load</c> reads.</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors) =>
        PyTorchPickler.PickleStateDict(stream, new Dictionary<string, Tensor>(tensors), leaveOpen: true);

    /// <summary>Reads every tensor of the state_dict and closes <paramref name="file"/>.</summary>
    public static ICheckpointReader Open(FileStream file, string path)
    {
        using var closing = file;
        // Collects PyBridge's intermediates, and its tensors too when the file turns out not to be a state_dict.
        using var scope = NewDisposeScope();
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(file, leaveOpen: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // libtorch's messages go on with a native stack trace; its first line says what went wrong.
            var reason = e.Message.Split('\n', 2)[0].TrimEnd();
            throw new CheckpointException(path, $"the PyTorch zip cannot be read as a state_dict: {reason}", e);
        }

        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (DictionaryEntry item in table)
        {
            if (item.Key is not string name || item.Value is not Tensor tensor)
            {
                throw new CheckpointException(path,
                    $"entry '{item.Key}' holds a {item.Value?.GetType().Name ?? "null"}, not a tensor: the file must hold a state_dict, " +
                    "as torch.save(model.state_dict(), path) writes it.");
            }
            tensors.Add(new(name, tensor));
        }
        foreach (var (_, tensor) in tensors)
            tensor.DetachFromDisposeScope();
        // PyBridge hands the state_dict over as a Hashtable, which lost the file's order.
        return new Reader(tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList());
    }

    /// <summary>Serves the tensors PyBridge read; each <see cref="Read"/> returns an alias the caller disposes.</summary>
    private sealed class Reader(List<KeyValuePair<string, Tensor>> tensors) : ICheckpointReader
    {
        private readonly Dictionary<string, Tensor> byName = tensors.ToDictionary(pair => pair.Key, pair => pair.Value);

        public IReadOnlyList<CheckpointEntry> Entries { get; } =
            tensors.Select(pair => new CheckpointEntry(pair.Key, pair.Value.dtype, pair.Value.shape)).ToList();

        public Tensor Read(CheckpointEntry entry) => byName[entry.Name].alias();

        public void Dispose()
        {
            foreach (var tensor in byName.Values)
                tensor.Dispose();
        }
    }
}
