using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// TorchSharp's own format, as <c>Module.save</c> writes it: a LEB128 entry count, then per entry the name as a .NET
/// <see cref="BinaryWriter"/> string, the element type, the rank and each dimension as LEB128 numbers, then the raw
/// data. It has no magic number, so it is what a file is taken for when it is neither safetensors nor a zip. TorchSharp's
/// own reader allocates whatever sizes the file declares; this one first checks every count and size against the
/// bytes left in the file.
/// </summary>
internal static class TorchSharpFormat
{
    private const int MaxNameBytes = 1 << 16;
    private const int MinEntryBytes = 3; // an empty name's length, the element type and a zero rank

    /// <summary>Writes contiguous CPU tensors with TorchSharp's own writer.</summary>
    /// <exception cref="ArgumentException">An element type is not one the reader accepts.</exception>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        foreach (var (_, tensor) in tensors)
            ElementTypes.EnsureSupported(tensor.dtype);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        nn.Module.save_state_dict(writer, new Dictionary<string, Tensor>(tensors));
    }

    /// <summary>Validates the whole index and returns a reader that owns <paramref name="file"/>.</summary>
    public static ICheckpointReader Open(FileStream file, string path)
    {
        var cursor = new Cursor(file, path);
        var count = cursor.ReadNumber("the entry count");
        if (count > cursor.Remaining / MinEntryBytes)
            throw cursor.Fail($"it claims {count} entries, more than its {file.Length} bytes can hold.");

        var index = new List<(CheckpointEntry Entry, long Offset)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var (entry, bytes) = cursor.ReadEntry(i);
            if (!names.Add(entry.Name))
                throw cursor.Fail($"it lists '{entry.Name}' twice.");
            if (bytes > cursor.Remaining)
            {
                throw cursor.Fail(
                    $"tensor '{entry.Name}' ({entry.Type} {ShapeGuard.Format(entry.Shape)}) needs {bytes} bytes, but only {cursor.Remaining} remain.");
            }
            index.Add((entry, file.Position));
            file.Seek(bytes, SeekOrigin.Current);
        }
        if (cursor.Remaining != 0)
            throw cursor.Fail($"{cursor.Remaining} bytes follow the last of its {count} entries.");
        return new IndexedFileReader(file, path, index);
    }

    /// <summary>Reads the index's numbers and names, each checked before it is used.</summary>
    private sealed class Cursor(FileStream file, string path)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public long Remaining => file.Length - file.Position;

        /// <summary>An entry's name, element type and shape, and its size in bytes; leaves the file at its data.</summary>
        public (CheckpointEntry Entry, long Bytes) ReadEntry(int index)
        {
            var name = ReadName(index);
            var typeCode = ReadNumber($"the element type of '{name}'");
            if (typeCode > sbyte.MaxValue || !ElementTypes.IsSupported((ScalarType)typeCode))
                throw Fail($"tensor '{name}' has element type code {typeCode}, which SlimGen does not read.");
            var rank = ReadNumber($"the rank of '{name}'");
            if (rank > ElementTypes.MaxRank)
                throw Fail($"tensor '{name}' has {rank} dimensions; at most {ElementTypes.MaxRank} are allowed.");
            var shape = new long[rank];
            for (var d = 0; d < rank; d++)
                shape[d] = ReadNumber($"dimension {d} of '{name}'");
            if (!ElementTypes.TryByteLength((ScalarType)typeCode, shape, out var bytes))
                throw Fail($"tensor '{name}' has shape {ShapeGuard.Format(shape)}, whose size in bytes overflows.");
            return (new CheckpointEntry(name, (ScalarType)typeCode, shape), bytes);
        }

        /// <summary>An unsigned LEB128 number of at most 63 bits, as TorchSharp and <see cref="BinaryWriter"/> write them.</summary>
        public long ReadNumber(string what)
        {
            var value = 0L;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 56)
                    throw Fail($"{what} is too large to be a size.");
                var next = file.ReadByte();
                if (next < 0)
                    throw Fail($"the file ends inside {what}.");
                value |= (long)(next & 0x7f) << shift;
                if ((next & 0x80) == 0)
                    return value;
            }
        }

        public CheckpointException Fail(string problem) =>
            new(path, $"the file is neither safetensors nor a PyTorch zip, and as TorchSharp's format it is invalid: {problem}");

        private string ReadName(int index)
        {
            var length = ReadNumber($"the length of entry {index}'s name");
            if (length > MaxNameBytes || length > Remaining)
                throw Fail($"entry {index}'s name is {length} bytes long, more than {Math.Min(MaxNameBytes, Remaining)} possible.");
            var bytes = new byte[length];
            file.ReadExactly(bytes);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Fail($"entry {index}'s name is not valid UTF-8.");
            }
        }
    }
}
