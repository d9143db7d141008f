using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace SlimGen.Runtime.Tests;

/// <summary>A temporary folder for crafted IDX files, deleted on dispose.</summary>
internal sealed class DataTestFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("slimgen-data-").FullName;

    /// <summary>The bytes of an IDX file: magic 00 00 type rank, big-endian sizes, then <paramref name="data"/>.</summary>
    public static byte[] Idx(int[] shape, byte[] data, byte type = 0x08)
    {
        var header = new byte[4 + 4 * shape.Length];
        header[2] = type;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), shape[i]);
        return header.Concat(data).ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
            gzip.Write(content);
        return compressed.ToArray();
    }

    /// <summary>Writes a file into the folder and returns its path.</summary>
    public string Write(string name, byte[] content)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Writes a split of fake Fashion-MNIST: image i has every pixel i, label i % 10.</summary>
    public void WriteFashionMnist(string imagesName, string labelsName, int count, int imageSize = 28)
    {
        var pixels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)i, imageSize * imageSize)).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        Write(imagesName, Gzip(Idx([count, imageSize, imageSize], pixels)));
        Write(labelsName, Gzip(Idx([count], labels)));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
