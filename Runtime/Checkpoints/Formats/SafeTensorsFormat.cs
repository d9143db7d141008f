using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Unicode;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// The <see href="https://github.com/huggingface/safetensors">safetensors</see> format: an unsigned 64-bit
/// little-endian header length, a JSON header mapping each name to its dtype, shape and byte range, then the data.
/// The parser trusts nothing: the header length is bounded by the file and by the format's limit before anything is
/// allocated for it, and every byte range must lie in the file, match its dtype and shape, and tile the data section
/// with no overlap or gap, as the reference implementation requires.
/// </summary>
internal static class SafeTensorsFormat
{
    /// <summary>The reference implementation's limit on the header.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const int LengthPrefixBytes = 8;
    private const string MetadataKey = "__metadata__";

    /// <summary>Whether the file's first bytes look like safetensors: a length, then the header's opening brace.</summary>
    public static bool Recognizes(ReadOnlySpan<byte> head) => head.Length > LengthPrefixBytes && head[LengthPrefixBytes] == (byte)'{';

    /// <summary>Validates the header and returns a reader that owns <paramref name="file"/>.</summary>
    public static ICheckpointReader Open(FileStream file, string path)
    {
        var header = new byte[ReadHeaderLength(file, path)];
        file.ReadExactly(header);
        var dataStart = LengthPrefixBytes + header.Length;
        var index = new HeaderParser(path, dataLength: file.Length - dataStart).Parse(header);
        return new IndexedFileReader(file, path, index.Select(item => (item.Entry, dataStart + item.Begin)).ToList());
    }

    /// <summary>Writes contiguous CPU tensors.</summary>
    /// <exception cref="ArgumentException">A name is the reserved <c>__metadata__</c>, or an element type has no safetensors name.</exception>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var header = Header(tensors);
        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (_, tensor) in tensors)
            TensorBytes.Write(stream, tensor);
    }

    private static int ReadHeaderLength(FileStream file, string path)
    {
        Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
        file.Position = 0;
        file.ReadExactly(prefix);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        var available = (ulong)(file.Length - LengthPrefixBytes);
        if (length > MaxHeaderBytes)
        {
            throw new CheckpointException(path,
                $"the safetensors header length is {length} bytes, over the format's limit of {MaxHeaderBytes}; the file is corrupt or hostile.");
        }
        if (length > available)
        {
            throw new CheckpointException(path,
                $"the safetensors header length is {length} bytes, but only {available} bytes follow; the file is truncated or corrupt.");
        }
        return (int)length;
    }

    private static byte[] Header(IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            // What Hugging Face's loaders expect of a file of PyTorch tensors.
            writer.WriteStartObject(MetadataKey);
            writer.WriteString("format", "pt");
            writer.WriteEndObject();
            var offset = 0L;
            foreach (var (name, tensor) in tensors)
            {
                if (name == MetadataKey)
                    throw new ArgumentException($"'{MetadataKey}' is reserved by safetensors and cannot name a tensor.", nameof(tensors));
                var bytes = tensor.NumberOfElements * tensor.ElementSize;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", ElementTypes.ToSafeTensors(tensor.dtype));
                WriteArray(writer, "shape", tensor.shape);
                WriteArray(writer, "data_offsets", [offset, offset + bytes]);
                writer.WriteEndObject();
                offset += bytes;
            }
            writer.WriteEndObject();
        }
        // Spaces up to a multiple of 8, so that the data section starts aligned (the reference writer does the same).
        while (json.Length % LengthPrefixBytes != 0)
            json.WriteByte((byte)' ');
        return json.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, long[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
            writer.WriteNumberValue(value);
        writer.WriteEndArray();
    }

    /// <summary>Turns the JSON header into the index, or fails with the first problem it finds.</summary>
    private sealed class HeaderParser(string path, long dataLength)
    {
        public List<(CheckpointEntry Entry, long Begin)> Parse(byte[] header)
        {
            // The JSON reader checks UTF-8 only when a string is read, with an exception of its own.
            if (!Utf8.IsValid(header))
                throw Fail("the safetensors header is not valid UTF-8.");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(header);
            }
            catch (JsonException e)
            {
                throw new CheckpointException(path, $"the safetensors header is not valid JSON: {e.Message}", e);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw Fail($"the safetensors header is a JSON {document.RootElement.ValueKind}, not an object.");
                var names = new HashSet<string>(StringComparer.Ordinal);
                var tensors = new List<(CheckpointEntry Entry, long Begin, long End)>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                        throw Fail($"the header lists '{property.Name}' twice.");
                    if (property.Name == MetadataKey)
                        CheckMetadata(property.Value);
                    else
                        tensors.Add(ParseTensor(property.Name, property.Value));
                }
                CheckTiling(tensors);
                return tensors.Select(tensor => (tensor.Entry, tensor.Begin)).ToList();
            }
        }

        private void CheckMetadata(JsonElement metadata)
        {
            if (metadata.ValueKind != JsonValueKind.Object || metadata.EnumerateObject().Any(item => item.Value.ValueKind != JsonValueKind.String))
                throw Fail($"'{MetadataKey}' must map names to strings.");
        }

        private (CheckpointEntry Entry, long Begin, long End) ParseTensor(string name, JsonElement info)
        {
            if (info.ValueKind != JsonValueKind.Object)
                throw Fail($"tensor '{name}' is described by a JSON {info.ValueKind}, not an object.");
            if (!info.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
                throw Fail($"tensor '{name}' has no dtype.");
            if (!ElementTypes.TryFromSafeTensors(dtype.GetString()!, out var type))
                throw Fail($"tensor '{name}' has dtype '{dtype.GetString()}', which SlimGen does not read (it reads {ElementTypes.SafeTensorsNames}).");

            var shape = Integers(name, info, "shape", ElementTypes.MaxRank);
            var offsets = Integers(name, info, "data_offsets", 2);
            if (offsets.Length != 2)
                throw Fail($"tensor '{name}' has {offsets.Length} data_offsets; expected [begin, end].");
            if (!ElementTypes.TryByteLength(type, shape, out var bytes))
                throw Fail($"tensor '{name}' has shape {ShapeGuard.Format(shape)}, whose size in bytes overflows.");

            var (begin, end) = (offsets[0], offsets[1]);
            if (begin > end || end > dataLength)
                throw Fail($"tensor '{name}' claims bytes [{begin}, {end}) of a data section of {dataLength} bytes.");
            if (end - begin != bytes)
            {
                throw Fail($"tensor '{name}' is {dtype.GetString()} {ShapeGuard.Format(shape)}, {bytes} bytes, " +
                           $"but its data_offsets [{begin}, {end}) span {end - begin} bytes.");
            }
            return (new CheckpointEntry(name, type, shape), begin, end);
        }

        private long[] Integers(string name, JsonElement info, string property, int maxCount)
        {
            if (!info.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
                throw Fail($"tensor '{name}' has no {property} array.");
            if (array.GetArrayLength() > maxCount)
                throw Fail($"tensor '{name}' has {array.GetArrayLength()} {property}; at most {maxCount} are allowed.");
            return array.EnumerateArray()
                .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var value) && value >= 0
                    ? value
                    : throw Fail($"tensor '{name}' has {property} {array.GetRawText()}, not a list of non-negative integers."))
                .ToArray();
        }

        // Sorted by range, each tensor must start where the previous one ended, and the last must end the file.
        private void CheckTiling(List<(CheckpointEntry Entry, long Begin, long End)> tensors)
        {
            var covered = 0L;
            var previous = "";
            foreach (var (entry, begin, end) in tensors.OrderBy(tensor => tensor.Begin).ThenBy(tensor => tensor.End))
            {
                if (begin < covered)
                    throw Fail($"tensors '{previous}' and '{entry.Name}' overlap in the data section.");
                if (begin > covered)
                    throw Fail($"bytes [{covered}, {begin}) of the data section belong to no tensor.");
                covered = end;
                previous = entry.Name;
            }
            if (covered != dataLength)
                throw Fail($"{dataLength - covered} bytes follow the last tensor's data.");
        }

        private CheckpointException Fail(string problem) => new(path, problem);
    }
}
