using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
#if !SLIMGEN_IDX_ONLY
using static TorchSharp.torch;
#endif

namespace SlimGen.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number <c>00 00 type rank</c>, one big-endian
/// 32-bit size per dimension, then the elements in row-major order. Gzip-compressed files are recognised by their
/// content, so <c>.gz</c> and unpacked files both work. Only unsigned bytes (type <c>0x08</c>) are supported.
/// </summary>
public static class Idx
{
    private const byte UnsignedByteType = 0x08;
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];

    /// <summary>Reads the IDX file at <paramref name="path"/>.</summary>
    /// <param name="path">An IDX file, gzip-compressed or not.</param>
    /// <returns>The shape and the elements.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete IDX file of unsigned bytes.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The IDX file {path} does not exist.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an IDX file from <paramref name="stream"/>, which must hold nothing after it.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or not; read to the end but not closed.</param>
    /// <param name="name">The file's name or path, used in error messages.</param>
    /// <returns>The shape and the elements.</returns>
    /// <exception cref="InvalidDataException">The stream is not a complete IDX file of unsigned bytes.</exception>
    public static IdxArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        // Gzip is recognised by its magic bytes, which needs a look ahead: seek back, or copy a stream that cannot seek.
        using var copy = stream.CanSeek ? null : new MemoryStream();
        if (copy is not null)
        {
            stream.CopyTo(copy);
            copy.Position = 0;
        }
        var source = copy ?? stream;
        if (!StartsWithGzipMagic(source))
            return ReadContent(source, name);
        using var decompressed = Decompress(source, name);
        return ReadContent(decompressed, name);
    }

    private static MemoryStream Decompress(Stream compressed, string name)
    {
        var content = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            gzip.CopyTo(content);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name} is not a valid gzip file: {e.Message}", e);
        }
        content.Position = 0;
        return content;
    }

    private static IdxArray ReadContent(Stream content, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        if (content.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length || magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{name} is not an IDX file: it does not start with the magic number 00 00 <type> <rank>.");
        if (magic[2] != UnsignedByteType)
            throw new InvalidDataException($"{name} holds IDX element type 0x{magic[2]:X2}; only unsigned bytes (0x08) are supported.");
        int rank = magic[3];
        if (rank == 0)
            throw new InvalidDataException($"{name} declares an IDX array of rank 0.");

        var sizes = new byte[4 * rank];
        if (content.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false) < sizes.Length)
            throw new InvalidDataException($"{name} ends inside its IDX header ({rank} dimension sizes expected).");
        var shape = Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * i))).ToArray();
        long length = 1;
        foreach (int size in shape)
        {
            // Bounded by Array.MaxLength before each multiplication, so the product cannot overflow.
            length *= size;
            if (size < 0 || length > Array.MaxLength)
                throw new InvalidDataException($"{name} declares the shape {FormatShape(shape)}, which is negative or too large.");
        }

        var data = new byte[length];
        int read = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
            throw new InvalidDataException($"{name} is truncated: its header {FormatShape(shape)} needs {length:N0} bytes of data, but it holds {read:N0}.");
        if (content.ReadByte() >= 0)
            throw new InvalidDataException($"{name} holds more data than its header {FormatShape(shape)} declares.");
        return new IdxArray(shape, data);
    }

    internal static string FormatShape(IReadOnlyList<int> shape) => ShapeMismatchException.FormatShape(shape.Select(size => (long)size));

    private static bool StartsWithGzipMagic(Stream stream)
    {
        long start = stream.Position;
        Span<byte> head = stackalloc byte[GzipMagic.Length];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return read == head.Length && head.SequenceEqual(GzipMagic);
    }
}

/// <summary>An IDX array of unsigned bytes: its shape and its elements in row-major order.</summary>
public sealed class IdxArray
{
    private readonly int[] shape;
    private readonly byte[] data;

    internal IdxArray(int[] shape, byte[] data)
    {
        this.shape = shape;
        this.data = data;
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The elements in row-major order.</summary>
    public ReadOnlyMemory<byte> Data => data;

#if !SLIMGEN_IDX_ONLY // Samples/OnnxClassify compiles this file without TorchSharp.
    /// <summary>The elements as a new <c>uint8</c> tensor of this shape on the CPU.</summary>
    public Tensor ToTensor() => tensor(data, shape.Select(size => (long)size).ToArray(), ScalarType.Byte);
#endif
}
