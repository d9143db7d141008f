using System;
using System.IO;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// Raw tensor data between a file and native memory, directly: each chunk is a span over the tensor's own memory, so
/// no managed copy of the data is made, whatever the tensor's size.
/// </summary>
internal static class TensorBytes
{
    // A span covers at most int.MaxValue bytes; chunks of 1 GiB stay well inside that for every element size.
    private const long ChunkBytes = 1L << 30;

    /// <summary>A new CPU tensor filled from <paramref name="stream"/> at <paramref name="offset"/>.</summary>
    /// <exception cref="CheckpointException">The file ends before the tensor does.</exception>
    public static Tensor Read(Stream stream, long offset, CheckpointEntry entry, string path)
    {
        stream.Position = offset;
        var tensor = empty([.. entry.Shape], entry.Type, CPU);
        try
        {
            ForEachChunk(tensor, chunk => stream.ReadExactly(chunk));
            return tensor;
        }
        catch (Exception e)
        {
            tensor.Dispose();
            if (e is EndOfStreamException)
                throw new CheckpointException(path, $"the file ends inside tensor '{entry.Name}' (it changed or was truncated while being read).", e);
            throw;
        }
    }

    /// <summary>Writes a contiguous CPU tensor's bytes, in the machine's (little-endian) order.</summary>
    public static void Write(Stream stream, Tensor tensor) => ForEachChunk(tensor, chunk => stream.Write(chunk));

    private static void ForEachChunk(Tensor tensor, Action<Span<byte>> action)
    {
        using var flat = tensor.view(-1);
        var chunkElements = ChunkBytes / tensor.ElementSize;
        for (var start = 0L; start < flat.shape[0]; start += chunkElements)
        {
            using var chunk = flat.narrow(0, start, Math.Min(chunkElements, flat.shape[0] - start));
            action(chunk.bytes);
        }
    }
}
