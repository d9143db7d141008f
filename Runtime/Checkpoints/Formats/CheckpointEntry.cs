using System.Collections.Generic;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>A tensor listed in a checkpoint, known from the file's index before any of its data is read.</summary>
/// <param name="Name">The key in the file.</param>
/// <param name="Type">The element type.</param>
/// <param name="Shape">The shape.</param>
internal sealed record CheckpointEntry(string Name, ScalarType Type, IReadOnlyList<long> Shape);

/// <summary>
/// An open checkpoint file whose index has been validated: every entry's data lies inside the file, so reading an entry
/// allocates only what the file really holds.
/// </summary>
internal interface ICheckpointReader : System.IDisposable
{
    /// <summary>The tensors in the file, in the file's order.</summary>
    IReadOnlyList<CheckpointEntry> Entries { get; }

    /// <summary>Reads one entry into a new CPU tensor that the caller owns.</summary>
    /// <exception cref="CheckpointException">The data cannot be read, e.g. because the file changed since it was opened.</exception>
    Tensor Read(CheckpointEntry entry);
}
