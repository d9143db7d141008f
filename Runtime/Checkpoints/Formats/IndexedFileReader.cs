using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>Reads the entries of a file whose index gave each tensor's offset, on demand.</summary>
internal sealed class IndexedFileReader : ICheckpointReader
{
    private readonly FileStream file;
    private readonly string path;
    private readonly Dictionary<string, long> offsets;

    /// <summary>Takes ownership of <paramref name="file"/>.</summary>
    public IndexedFileReader(FileStream file, string path, IReadOnlyList<(CheckpointEntry Entry, long Offset)> index)
    {
        this.file = file;
        this.path = path;
        Entries = index.Select(item => item.Entry).ToList();
        offsets = index.ToDictionary(item => item.Entry.Name, item => item.Offset);
    }

    public IReadOnlyList<CheckpointEntry> Entries { get; }

    public Tensor Read(CheckpointEntry entry) => TensorBytes.Read(file, offsets[entry.Name], entry, path);

    public void Dispose() => file.Dispose();
}
