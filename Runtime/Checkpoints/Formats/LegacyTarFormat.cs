using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// <c>torch.save</c>'s oldest format (PyTorch before 0.4), which torch still reads (<c>torch.serialization.legacy_load</c>):
/// a tar archive of four members. <c>sys_info</c> is a pickle; <c>storages</c> a pickled count, then per storage a
/// pickled <c>(key, location, storage class)</c>, its int64 element count and raw elements, then a pickled list of
/// storage views; <c>tensors</c> a pickled count, then per tensor a pickled <c>(key, storage key, tensor class)</c>,
/// an int32 rank, 4 bytes of padding, the sizes, the strides and the storage offset as int64s; <c>pickle</c> the
/// state_dict, each tensor a persistent id that is its key. Everything is checked against the member it lies in.
/// </summary>
internal static class LegacyTarFormat
{
    private const int BlockBytes = 512;
    private const int MagicOffset = 257;

    private static readonly string[] Members = ["sys_info", "storages", "tensors", "pickle"];

    private static readonly HashSet<string> StorageListGlobals = [.. RestrictedUnpickler.StorageGlobals];

    private static readonly HashSet<string> TensorListGlobals =
        [.. ElementTypes.StorageNames.Select(name => "torch." + name[..^"Storage".Length] + "Tensor")];

    private static ReadOnlySpan<byte> Magic => "ustar"u8;

    /// <summary>The number of leading bytes <see cref="Recognizes"/> looks at.</summary>
    public static int SignatureBytes => MagicOffset + Magic.Length;

    /// <summary>Whether the file is a tar archive (POSIX or GNU), which is how the oldest torch.save files start.</summary>
    public static bool Recognizes(ReadOnlySpan<byte> head) => head.Length >= SignatureBytes && head[MagicOffset..].StartsWith(Magic);

    /// <summary>Validates the members, every storage and every tensor view; returns a reader that owns <paramref name="file"/>.</summary>
    public static ICheckpointReader Open(FileStream file, string path)
    {
        var members = ReadMembers(file, path);

        file.Position = members["sys_info"].Start;
        LegacyTensors.CheckSysInfo(Unpickler(file, members["sys_info"], path, "the tar's sys_info", []).Load(), path);

        var storages = ReadStorages(file, members["storages"], path);
        var views = ReadTensors(file, members["tensors"], storages, path);

        var pickle = members["pickle"];
        file.Position = pickle.Start;
        var state = Unpickler(file, pickle, path, "the state_dict's pickle", [], persistentLoad: id =>
            views.TryGetValue(LegacyTensors.Key(id, path, "a tensor's persistent id"), out var view)
                ? view
                : throw new CheckpointException(path, $"the state_dict's pickle names tensor '{id}', which the tar's 'tensors' does not hold.")).Load();
        return new LegacyTensors.Reader(file, path, LegacyTensors.StateDict<LegacyTensorView>(state, path));
    }

    private static Dictionary<string, LegacyStorage> ReadStorages(FileStream file, Member member, string path)
    {
        file.Position = member.Start;
        var unpickler = Unpickler(file, member, path, "the tar's storages", StorageListGlobals);
        var count = Count(unpickler.Load(), member, path, "storages");
        var storages = new Dictionary<string, LegacyStorage>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (unpickler.Load() is not object?[] { Length: 3 } fields)
                throw new CheckpointException(path, $"storage {i} of the tar is not described as (key, location, storage class).");
            var key = LegacyTensors.Key(fields[0], path, $"the key of storage {i}");
            var type = LegacyTensors.StorageType(fields[2], path, $"the class of storage '{key}'");
            if (!storages.TryAdd(key, LegacyTensors.ReadStorage(file, member.End, key, type, path)))
                throw new CheckpointException(path, $"storage '{key}' is listed twice.");
        }
        if (unpickler.Load() is not List<object?> { Count: 0 })
        {
            throw new CheckpointException(path,
                "the tar's storages include storage views (storages inside others), which SlimGen does not read; " +
                "load the file with the PyTorch that wrote it and save it again.");
        }
        return storages;
    }

    private static Dictionary<string, LegacyTensorView> ReadTensors(FileStream file, Member member, Dictionary<string, LegacyStorage> storages, string path)
    {
        file.Position = member.Start;
        var unpickler = Unpickler(file, member, path, "the tar's tensors", TensorListGlobals);
        var count = Count(unpickler.Load(), member, path, "tensors");
        var views = new Dictionary<string, LegacyTensorView>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (unpickler.Load() is not object?[] { Length: 3 } fields)
                throw new CheckpointException(path, $"tensor {i} of the tar is not described as (key, storage key, tensor class).");
            var key = LegacyTensors.Key(fields[0], path, $"the key of tensor {i}");
            var storageKey = LegacyTensors.Key(fields[1], path, $"the storage key of tensor '{key}'");
            if (!storages.TryGetValue(storageKey, out var storage))
                throw new CheckpointException(path, $"tensor '{key}' reads storage '{storageKey}', which the tar's storages do not hold.");
            var header = LegacyTensors.ReadBytes(file, member.End, 8, path, $"the rank of tensor '{key}'");
            var rank = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (rank < 0 || rank > ElementTypes.MaxRank)
                throw new CheckpointException(path, $"tensor '{key}' has rank {rank}; at most {ElementTypes.MaxRank} is allowed.");
            var numbers = Enumerable.Range(0, 2 * rank + 1).Select(_ => LegacyTensors.ReadInt64(file, member.End, path, $"the shape of tensor '{key}'")).ToArray();
            var view = LegacyTensors.View(storage, numbers[^1], numbers[..rank], numbers[rank..(2 * rank)], path);
            if (!views.TryAdd(key, view))
                throw new CheckpointException(path, $"tensor '{key}' is listed twice.");
        }
        return views;
    }

    private static long Count(object? count, Member member, string path, string what) =>
        count is long value && value >= 0 && value <= member.Length
            ? value
            : throw new CheckpointException(path, $"the tar's '{what}' does not start with a plausible count ({LegacyTensors.Describe(count)} {count}).");

    private static RestrictedUnpickler Unpickler(
        FileStream file, Member member, string path, string what, HashSet<string> globals, Func<object?, object?>? persistentLoad = null) =>
        new(file, member.End, path, what, globals, persistentLoad: persistentLoad);

    /// <summary>The archive's regular files by name, each checked to lie inside the file; PAX headers are skipped.</summary>
    private static Dictionary<string, Member> ReadMembers(FileStream file, string path)
    {
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        var header = new byte[BlockBytes];
        for (var position = 0L; position + BlockBytes <= file.Length;)
        {
            file.Position = position;
            file.ReadExactly(header);
            if (header.All(b => b == 0))
                break;
            var name = Field(header, 0, 100);
            if (!TryOctal(header.AsSpan(124, 12), out var size) || !HasValidChecksum(header))
                throw new CheckpointException(path, $"the tar header at byte {position} is corrupt (its size or checksum is not valid).");
            var start = position + BlockBytes;
            if (size > file.Length - start)
                throw new CheckpointException(path, $"tar member '{name}' claims {size} bytes, but only {file.Length - start} remain: the file is truncated.");
            var type = (char)header[156];
            if (type is '0' or '\0' && Members.Contains(name) && !members.TryAdd(name, new Member(start, size)))
                throw new CheckpointException(path, $"the tar holds '{name}' twice.");
            position = start + (size + BlockBytes - 1) / BlockBytes * BlockBytes;
        }
        var missing = Members.Where(name => !members.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new CheckpointException(path,
                $"the file is a tar archive, but not a checkpoint of torch.save's tar format: it lacks {string.Join(", ", missing.Select(name => $"'{name}'"))}.");
        }
        return members;
    }

    private static string Field(byte[] header, int offset, int length)
    {
        var field = header.AsSpan(offset, length);
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static bool TryOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is 0 or (byte)' ')
            {
                if (digits > 0) break;
                continue;
            }
            if (b is < (byte)'0' or > (byte)'7' || digits == 20)
                return false;
            value = value * 8 + (b - '0');
            digits++;
        }
        return digits > 0;
    }

    /// <summary>The header's checksum: the sum of its bytes, with the checksum field itself counted as spaces.</summary>
    private static bool HasValidChecksum(byte[] header)
    {
        if (!TryOctal(header.AsSpan(148, 8), out var stored))
            return false;
        var sum = header.Select((b, i) => i is >= 148 and < 156 ? (byte)' ' : b).Sum(b => (long)b);
        return sum == stored;
    }

    private sealed record Member(long Start, long Length)
    {
        public long End => Start + Length;
    }
}
