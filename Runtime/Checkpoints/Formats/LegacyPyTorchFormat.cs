using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// <c>torch.save</c>'s legacy format (PyTorch 0.4 to 1.5, and later with <c>_use_new_zipfile_serialization=False</c>),
/// as torchvision's older weights are: five pickles (a magic number, the protocol version 1001, <c>sys_info</c>, the
/// state_dict with each storage as a persistent id, the storage keys in the order their data follows), then per storage
/// an int64 element count and its raw elements. The pickles go through <see cref="RestrictedUnpickler"/>, which accepts
/// only the globals that rebuild tensors; every storage and tensor view is checked against the file before any tensor is
/// allocated, and only then is a tensor's data read, on demand.
/// </summary>
internal static class LegacyPyTorchFormat
{
    private const long ProtocolVersion = 1001;

    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly HashSet<string> StateDictGlobals =
        [RebuildTensor, RebuildTensorV2, RebuildParameter, .. RestrictedUnpickler.StorageGlobals];

    private const string RebuildTensor = "torch._utils._rebuild_tensor";
    private const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    private const string RebuildParameter = "torch._utils._rebuild_parameter";

    // The format starts with a protocol-2 pickle of MagicNumber: PROTO 2, LONG1 of 10 bytes, then its bytes.
    private static ReadOnlySpan<byte> Magic => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>The number of leading bytes <see cref="Recognizes"/> looks at.</summary>
    public static int SignatureBytes => Magic.Length;

    public static bool Recognizes(ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    /// <summary>Validates the pickles and every storage and tensor view; returns a reader that owns <paramref name="file"/>.</summary>
    public static ICheckpointReader Open(FileStream file, string path)
    {
        var end = file.Length;
        var header = new RestrictedUnpickler(file, end, path, "the legacy file's header", new HashSet<string>());
        if (header.Load() is not BigInteger magic || magic != MagicNumber)
            throw new CheckpointException(path, "the legacy torch.save file does not start with torch's magic number.");
        if (header.Load() is not ProtocolVersion)
            throw new CheckpointException(path, $"the legacy torch.save file is not of protocol version {ProtocolVersion}, the only one torch wrote.");
        LegacyTensors.CheckSysInfo(header.Load(), path);

        var storageTypes = new Dictionary<string, ScalarType>(StringComparer.Ordinal);
        var state = new RestrictedUnpickler(file, end, path, "the state_dict's pickle", StateDictGlobals,
            (callable, arguments) => Rebuild(callable, arguments, path),
            id => Storage(id, storageTypes, path)).Load();
        var keys = new RestrictedUnpickler(file, end, path, "the list of storage keys", new HashSet<string>()).Load() as List<object?>
            ?? throw new CheckpointException(path, "the legacy torch.save file does not list its storage keys after the state_dict.");

        var storages = new Dictionary<string, LegacyStorage>(StringComparer.Ordinal);
        foreach (var keyObject in keys)
        {
            var key = LegacyTensors.Key(keyObject, path, "a storage key");
            if (!storageTypes.TryGetValue(key, out var type))
                throw new CheckpointException(path, $"storage '{key}' is listed, but no tensor of the state_dict uses it.");
            if (!storages.TryAdd(key, LegacyTensors.ReadStorage(file, end, key, type, path)))
                throw new CheckpointException(path, $"storage '{key}' is listed twice.");
        }
        if (file.Position != end)
            throw new CheckpointException(path, $"{end - file.Position} bytes follow the last storage's data.");

        var tensors = LegacyTensors.StateDict<PendingTensor>(state, path).Select(item => (item.Name, Resolve(item.Name, item.Tensor, storages, path))).ToList();
        return new LegacyTensors.Reader(file, path, tensors);
    }

    /// <summary>A persistent id: <c>('storage', torch.FloatStorage, key, location, element count, view metadata)</c>.</summary>
    private static StorageUse Storage(object? id, Dictionary<string, ScalarType> storageTypes, string path)
    {
        if (id is not object?[] { Length: 6 } fields || fields[0] as string != "storage")
            throw new CheckpointException(path, $"a persistent id is a {LegacyTensors.Describe(id)}, not ('storage', type, key, location, size, view).");
        var type = LegacyTensors.StorageType(fields[1], path, "a storage's type");
        var key = LegacyTensors.Key(fields[2], path, "a storage's key");
        if (fields[5] is not null)
        {
            throw new CheckpointException(path,
                $"storage '{key}' is a view into another storage, which only files of PyTorch before 1.0 hold and SlimGen does not read; " +
                "load the file with the PyTorch that wrote it and save it again.");
        }
        if (storageTypes.TryGetValue(key, out var known) && known != type)
            throw new CheckpointException(path, $"storage '{key}' is read both as {known} and as {type}.");
        storageTypes[key] = type;
        return new StorageUse(key, type);
    }

    /// <summary>
    /// <c>_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])</c>, the older
    /// <c>_rebuild_tensor(storage, offset, size, stride)</c>, and <c>_rebuild_parameter(tensor, requires_grad, hooks)</c>.
    /// </summary>
    private static object Rebuild(PickleGlobal callable, object?[] arguments, string path)
    {
        var name = callable.ToString();
        if (name == RebuildParameter)
        {
            return arguments is [PendingTensor tensor, bool, PickleDict]
                ? tensor
                : throw new CheckpointException(path, $"{name} is called with ({string.Join(", ", arguments.Select(LegacyTensors.Describe))}), not (tensor, requires_grad, hooks).");
        }
        if (name != RebuildTensor && name != RebuildTensorV2)
            throw new CheckpointException(path, $"the state_dict's pickle calls '{name}', which builds no tensor.");
        var expected = name == RebuildTensor ? 4 : 6;
        if ((arguments.Length != expected && !(name == RebuildTensorV2 && arguments.Length == 7 && arguments[6] is null or PickleDict { Count: 0 }))
            || arguments[0] is not StorageUse storage || arguments[1] is not long offset
            || Integers(arguments[2]) is not { } shape || Integers(arguments[3]) is not { } strides)
        {
            throw new CheckpointException(path,
                $"{name} is called with ({string.Join(", ", arguments.Select(LegacyTensors.Describe))}), not (storage, offset, size, stride{(expected == 6 ? ", requires_grad, hooks" : "")}).");
        }
        return new PendingTensor(storage, offset, shape, strides);
    }

    private static LegacyTensorView Resolve(string name, PendingTensor tensor, Dictionary<string, LegacyStorage> storages, string path)
    {
        if (!storages.TryGetValue(tensor.Storage.Key, out var storage))
            throw new CheckpointException(path, $"tensor '{name}' reads storage '{tensor.Storage.Key}', whose data the file does not hold.");
        return LegacyTensors.View(storage, tensor.Offset, tensor.Shape, tensor.Strides, path);
    }

    private static long[]? Integers(object? tuple) =>
        tuple is object?[] items && items.All(item => item is long) ? items.Cast<long>().ToArray() : null;

    /// <summary>A storage as the pickle names it; its data is found after the pickle.</summary>
    private sealed record StorageUse(string Key, ScalarType Type);

    /// <summary>A tensor as the pickle rebuilds it, before its storage's data is found.</summary>
    private sealed record PendingTensor(StorageUse Storage, long Offset, long[] Shape, long[] Strides);
}
