using System.IO;
using System.Linq;
using SlimGen.Data;
using Xunit;

namespace SlimGen.Runtime.Tests;

/// <summary>The IDX reader on crafted files: both encodings, and a clear error for each way a file can be broken.</summary>
public sealed class DataIdxTests : System.IDisposable
{
    private readonly DataTestFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_the_shape_and_the_bytes_compressed_or_not(bool compressed)
    {
        byte[] content = DataTestFiles.Idx([2, 3], [1, 2, 3, 4, 5, 255]);
        string path = files.Write("array.idx", compressed ? DataTestFiles.Gzip(content) : content);

        var array = Idx.Read(path);

        Assert.Equal([2, 3], array.Shape);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 255 }, array.Data.ToArray());
        using var tensor = array.ToTensor();
        Assert.Equal([2L, 3], tensor.shape);
        Assert.Equal(255, tensor[1, 2].item<byte>());
    }

    [Fact]
    public void Reads_a_stream_that_cannot_seek()
    {
        using var stream = new ForwardOnlyStream(DataTestFiles.Gzip(DataTestFiles.Idx([4], [9, 8, 7, 6])));

        var array = Idx.Read(stream, "labels");

        Assert.Equal(new byte[] { 9, 8, 7, 6 }, array.Data.ToArray());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(files.Directory, "absent.idx");

        var error = Assert.Throws<FileNotFoundException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0 }, "is not an IDX file")]
    [InlineData(new byte[] { 0, 0 }, "is not an IDX file")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "element type 0x0D")]
    [InlineData(new byte[] { 0, 0, 0x08, 0 }, "rank 0")]
    [InlineData(new byte[] { 0, 0, 0x08, 2, 0, 0, 0, 1 }, "ends inside its IDX header")]
    [InlineData(new byte[] { 0, 0, 0x08, 1, 0xFF, 0xFF, 0xFF, 0xFF }, "negative or too large")]
    [InlineData(new byte[] { 0, 0, 0x08, 1, 0, 0, 0, 3, 1, 2 }, "truncated: its header [3] needs 3 bytes of data, but it holds 2")]
    [InlineData(new byte[] { 0, 0, 0x08, 1, 0, 0, 0, 1, 1, 2 }, "more data than its header [1] declares")]
    public void A_corrupt_file_gets_a_message_that_names_it_and_the_problem(byte[] content, string problem)
    {
        string path = files.Write("broken.idx", content);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_damaged_gzip_file_is_reported_as_such()
    {
        byte[] compressed = DataTestFiles.Gzip(DataTestFiles.Idx([64], Enumerable.Range(0, 64).Select(i => (byte)i).ToArray()));
        compressed[12] ^= 0xFF;
        string path = files.Write("damaged.idx.gz", compressed);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains($"{path} is not a valid gzip file", error.Message);
    }

    /// <summary>A stream like a network or pipe stream: readable once, not seekable.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
