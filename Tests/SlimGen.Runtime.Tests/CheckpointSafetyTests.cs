using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using SlimGen.Checkpoints;
using SlimGen.Runtime.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Corrupt, truncated and hostile files, crafted here: each must fail with a CheckpointException that names the file
/// and the problem, without large allocations, and leave the model as it was.
/// </summary>
public class CheckpointSafetyTests
{
    private static readonly Dictionary<string, (Func<byte[]> Bytes, string Problem)> Cases = new()
    {
        ["empty"] = (() => [], "the file is empty."),

        // safetensors: the header length, then the header, then the data.
        ["huge header length"] = (() => SafeTensors("{}", declaredLength: 1UL << 62),
            "the safetensors header length is 4611686018427387904 bytes, over the format's limit of 100000000; the file is corrupt or hostile."),
        ["header past the end"] = (() => SafeTensors("{}", declaredLength: 5000),
            "the safetensors header length is 5000 bytes, but only 2 bytes follow; the file is truncated or corrupt."),
        ["header not JSON"] = (() => SafeTensors("{\"a\":"), "the safetensors header is not valid JSON"),
        ["header not UTF-8"] = (() => SafeTensors([.. "{\""u8, 0xff, .. "\":{}}"u8]), "the safetensors header is not valid UTF-8."),
        ["tensor not an object"] = (() => SafeTensors("{\"a\":5}"), "tensor 'a' is described by a JSON Number, not an object."),
        ["no dtype"] = (() => SafeTensors("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", dataBytes: 4), "tensor 'a' has no dtype."),
        ["unsupported dtype"] = (() => SafeTensors(Header(Entry("a", "U16", "[2]", "[0,4]")), dataBytes: 4),
            "tensor 'a' has dtype 'U16', which SlimGen does not read (it reads BOOL, U8, I8, I16, I32, I64, F16, BF16, F32, F64)."),
        ["float8 dtype"] = (() => SafeTensors(Header(Entry("a", "F8_E4M3", "[2]", "[0,2]")), dataBytes: 2), "tensor 'a' has dtype 'F8_E4M3'"),
        ["negative dimension"] = (() => SafeTensors(Header(Entry("a", "F32", "[-1]", "[0,4]")), dataBytes: 4),
            "tensor 'a' has shape [-1], not a list of non-negative integers."),
        ["fractional offset"] = (() => SafeTensors(Header(Entry("a", "F32", "[1]", "[0,4.5]")), dataBytes: 4),
            "tensor 'a' has data_offsets [0,4.5], not a list of non-negative integers."),
        ["too many dimensions"] = (() => SafeTensors(Header(Entry("a", "F32", "[" + string.Join(",", Enumerable.Repeat(1, 65)) + "]", "[0,4]")), dataBytes: 4),
            "tensor 'a' has 65 shape; at most 64 are allowed."),
        ["size overflow"] = (() => SafeTensors(Header(Entry("a", "F64", "[4294967296,4294967296]", "[0,8]")), dataBytes: 8),
            "tensor 'a' has shape [4294967296, 4294967296], whose size in bytes overflows."),
        ["offsets outside the file"] = (() => SafeTensors(Header(Entry("a", "F32", "[250000]", "[0,1000000]")), dataBytes: 8),
            "tensor 'a' claims bytes [0, 1000000) of a data section of 8 bytes."),
        ["negative range"] = (() => SafeTensors(Header(Entry("a", "F32", "[2]", "[8,0]")), dataBytes: 8), "tensor 'a' claims bytes [8, 0)"),
        ["dtype and length disagree"] = (() => SafeTensors(Header(Entry("a", "F32", "[3]", "[0,8]")), dataBytes: 8),
            "tensor 'a' is F32 [3], 12 bytes, but its data_offsets [0, 8) span 8 bytes."),
        ["overlapping tensors"] = (() => SafeTensors(Header(Entry("a", "F32", "[2]", "[0,8]"), Entry("b", "F32", "[2]", "[4,12]")), dataBytes: 12),
            "tensors 'a' and 'b' overlap in the data section."),
        ["gap between tensors"] = (() => SafeTensors(Header(Entry("a", "F32", "[1]", "[0,4]"), Entry("b", "F32", "[1]", "[8,12]")), dataBytes: 12),
            "bytes [4, 8) of the data section belong to no tensor."),
        ["bytes after the data"] = (() => SafeTensors(Header(Entry("a", "F32", "[1]", "[0,4]")), dataBytes: 8), "4 bytes follow the last tensor's data."),
        ["duplicate name"] = (() => SafeTensors(Header(Entry("a", "F32", "[1]", "[0,4]"), Entry("a", "F32", "[1]", "[4,8]")), dataBytes: 8),
            "the header lists 'a' twice."),
        ["metadata not strings"] = (() => SafeTensors("{\"__metadata__\":{\"step\":1}}"), "'__metadata__' must map names to strings."),
        ["truncated safetensors"] = (() => Truncated("small_cnn.safetensors", 10), "tensor 'logits.bias' claims bytes [1584, 1604) of a data section of 1594 bytes."),

        // TorchSharp's format: LEB128 numbers and length-prefixed names, no magic number.
        ["text"] = (() => "this is not a checkpoint"u8.ToArray(),
            "the file is neither safetensors nor a PyTorch zip, and as TorchSharp's format it is invalid: it claims 116 entries, more than its 24 bytes can hold."),
        ["huge entry count"] = (() => Leb128(1L << 40), "it claims 1099511627776 entries"),
        ["huge name length"] = (() => [.. Leb128(1, 1 << 20), .. new byte[16]], "entry 0's name is 1048576 bytes long"),
        ["unknown element type"] = (() => [.. Leb128(1, 1), .. "a"u8, .. Leb128(99, 0)], "tensor 'a' has element type code 99, which SlimGen does not read."),
        ["huge tensor"] = (() => [.. Leb128(1, 1), .. "a"u8, .. Leb128(6, 2, 1L << 30, 1L << 30)],
            "tensor 'a' (Float32 [1073741824, 1073741824]) needs 4611686018427387904 bytes, but only 0 remain."),
        ["huge number"] = (() => [.. Leb128(1, 1), .. "a"u8, .. Enumerable.Repeat((byte)0xff, 12)], "the element type of 'a' is too large to be a size."),
        ["truncated TorchSharp file"] = (() => TruncatedTorchSharpFile(), "tensor 'fc80.bias' (Float32 [3]) needs 12 bytes, but only 2 remain."),

        // torch.save's legacy formats, hostile files from Tests/Fixtures/export_legacy_checkpoint_fixtures.py.
        ["legacy pickle calling os.system"] = (() => Fixture("hostile_os_system.legacy.pt"),
            "it asks for the global 'posix.system', which a state_dict does not need; SlimGen never runs code"),
        ["legacy storage larger than the file"] = (() => Fixture("hostile_huge_storage.legacy.pt"),
            "claims 1000000 Float32 elements, but only 16 bytes remain: the file is truncated or corrupt."),
        ["truncated legacy file"] = (() => Fixture("truncated.legacy.pt"), "Float32 elements, but only"),
        ["legacy header only"] = (() => Truncated("small_cnn.legacy.pt", 3100), "the legacy file's header is truncated"),
        ["legacy tensor past its storage"] = (() => Replaced("shared_storages.legacy.pt", [(byte)'K', 2, (byte)'K', 4, 0x86], [(byte)'K', 9, (byte)'K', 4, 0x86]),
            "a tensor of shape [9, 4] (strides [4, 1], offset 2) in storage"),
        ["truncated tar"] = (() => Truncated("small_cnn.tar.pt", 10240 - 4000), "tar member 'storages' claims 2104 bytes, but only 928 remain: the file is truncated."),
        ["tar of other files"] = (() => Replaced("small_cnn.tar.pt", "tensors\0"u8.ToArray(), "tensorz\0"u8.ToArray()), "the tar header at byte"),

        // PyTorch's zip format.
        ["truncated zip"] = (() => Truncated("tiny_vgg.pt", 20000), "the PyTorch zip cannot be read as a state_dict"),
        ["zip without pickle"] = (() => ZipWithoutPickle(), "the PyTorch zip cannot be read as a state_dict"),
        ["pickle with a huge shape"] = (() => PickleWithHugeShape(), "the PyTorch zip cannot be read as a state_dict"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_bad_file_fails_with_a_clear_error_small_allocations_and_the_model_unchanged(string name)
    {
        using var scope = NewDisposeScope();
        using var directory = new TemporaryDirectory();
        var (bytes, problem) = Cases[name];
        var path = directory.File("bad.checkpoint");
        File.WriteAllBytes(path, bytes());
        using var model = new PrefixNet();
        var before = CheckpointAssert.Snapshot(model);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(model, path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.StartsWith($"Checkpoint '{path}': ", error.Message);
        Assert.True(error.Message.Contains(problem, StringComparison.Ordinal), error.Message);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
        CheckpointAssert.Unchanged(model, before);
    }

    [Fact]
    public void Loading_named_tensors_checks_the_file_the_same_way()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("bad.safetensors");
        File.WriteAllBytes(path, SafeTensors(Header(Entry("a", "F32", "[3]", "[0,8]")), dataBytes: 8));

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.LoadTensors(path));

        Assert.EndsWith("tensor 'a' is F32 [3], 12 bytes, but its data_offsets [0, 8) span 8 bytes.", error.Message);
    }

    private static string Header(params string[] entries) => "{" + string.Join(",", entries) + "}";

    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";

    private static byte[] SafeTensors(string header, int dataBytes = 0, ulong? declaredLength = null) =>
        SafeTensors(Encoding.UTF8.GetBytes(header), dataBytes, declaredLength);

    private static byte[] SafeTensors(byte[] header, int dataBytes = 0, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] Leb128(params long[] values)
    {
        var bytes = new List<byte>();
        foreach (var value in values)
        {
            var rest = (ulong)value;
            do
            {
                var low = (byte)(rest & 0x7f);
                rest >>= 7;
                bytes.Add(rest == 0 ? low : (byte)(low | 0x80));
            } while (rest != 0);
        }
        return [.. bytes];
    }

    private static byte[] Fixture(string fixture) => File.ReadAllBytes(CheckpointAssert.Fixture(fixture));

    /// <summary>The fixture with the one occurrence of <paramref name="from"/> replaced.</summary>
    private static byte[] Replaced(string fixture, byte[] from, byte[] to)
    {
        var bytes = Fixture(fixture);
        var at = bytes.AsSpan().IndexOf(from);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(from) < 0, "The pattern must occur once.");
        return [.. bytes[..at], .. to, .. bytes[(at + from.Length)..]];
    }

    private static byte[] Truncated(string fixture, int bytesRemoved)
    {
        var bytes = File.ReadAllBytes(CheckpointAssert.Fixture(fixture));
        return bytes[..^bytesRemoved];
    }

    private static byte[] TruncatedTorchSharpFile()
    {
        using var model = new PrefixNet();
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray()[..^10];
    }

    // small_cnn.pt with conv1.weight's shape (4, 1, 3, 3) turned into (2^31 - 1, 1, 3, 3), 77 GB of float32, while
    // its storage in the archive stays 144 bytes.
    private static byte[] PickleWithHugeShape()
    {
        ReadOnlySpan<byte> shape = [(byte)'K', 4, (byte)'K', 1, (byte)'K', 3, (byte)'K', 3, (byte)'t'];
        byte[] hugeShape = [(byte)'J', 0xff, 0xff, 0xff, 0x7f, (byte)'K', 1, (byte)'K', 3, (byte)'K', 3, (byte)'t'];
        using var source = ZipFile.OpenRead(CheckpointAssert.Fixture("small_cnn.pt"));
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var content = new MemoryStream();
                using (var input = entry.Open())
                    input.CopyTo(content);
                var bytes = content.ToArray();
                if (entry.Name == "data.pkl")
                {
                    var at = bytes.AsSpan().IndexOf(shape);
                    bytes = [.. bytes[..at], .. hugeShape, .. bytes[(at + shape.Length)..]];
                }
                using var output = zip.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                output.Write(bytes);
            }
        }
        return stream.ToArray();
    }

    private static byte[] ZipWithoutPickle()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        using (var version = zip.CreateEntry("archive/version").Open())
            version.Write("3\n"u8);
        return stream.ToArray();
    }
}
