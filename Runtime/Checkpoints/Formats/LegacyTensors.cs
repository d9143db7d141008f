using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>A storage of a legacy PyTorch file: its element type, its length, and where its elements lie in the file.</summary>
internal sealed record LegacyStorage(string Key, ScalarType Type, long Elements, long DataOffset);

/// <summary>A tensor as a legacy PyTorch file describes it: a strided view of a storage.</summary>
internal sealed record LegacyTensorView(LegacyStorage Storage, long Offset, long[] Shape, long[] Strides);

/// <summary>
/// What PyTorch's two legacy layouts (<see cref="LegacyPyTorchFormat"/>, <see cref="LegacyTarFormat"/>) share: storages
/// written as an int64 element count and raw little-endian elements, tensors that are strided views of them (several
/// tensors may share one storage), the <c>sys_info</c> pickle, and the state_dict pickle's shape.
/// </summary>
internal static class LegacyTensors
{
    /// <summary>A storage key, which old files wrote as a number and newer ones as a string.</summary>
    public static string Key(object? key, string path, string what) => key switch
    {
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => throw new CheckpointException(path, $"{what} is a {Describe(key)}, not a string or a number."),
    };

    /// <summary>The element type of a storage class global such as <c>torch.FloatStorage</c>.</summary>
    public static ScalarType StorageType(object? global, string path, string what) =>
        global is PickleGlobal { Module: "torch" } storage && ElementTypes.TryFromStorageName(storage.Name, out var type)
            ? type
            : throw new CheckpointException(path, $"{what} is {Describe(global)}, not one of torch's storage classes ({string.Join(", ", ElementTypes.StorageNames)}).");

    /// <summary>
    /// Reads a storage's element count at the file's position, checks that its elements lie before <paramref name="end"/>,
    /// and leaves the file after them, without reading them.
    /// </summary>
    public static LegacyStorage ReadStorage(Stream file, long end, string key, ScalarType type, string path)
    {
        var elements = ReadInt64(file, end, path, $"the element count of storage '{key}'");
        var available = end - file.Position;
        if (elements < 0 || !ElementTypes.TryByteLength(type, [elements], out var bytes) || bytes > available)
        {
            throw new CheckpointException(path,
                $"storage '{key}' claims {elements} {type} elements, but only {available} bytes remain: the file is truncated or corrupt.");
        }
        var storage = new LegacyStorage(key, type, elements, file.Position);
        file.Seek(bytes, SeekOrigin.Current);
        return storage;
    }

    /// <summary>A tensor's view of <paramref name="storage"/>, checked to lie inside it.</summary>
    public static LegacyTensorView View(LegacyStorage storage, long offset, IReadOnlyList<long> shape, IReadOnlyList<long> strides, string path)
    {
        var described = $"a tensor of shape {ShapeGuard.Format(shape)} (strides {ShapeGuard.Format(strides)}, offset {offset}) in storage '{storage.Key}'";
        if (shape.Count > ElementTypes.MaxRank || shape.Count != strides.Count)
            throw new CheckpointException(path, $"{described} has {shape.Count} sizes and {strides.Count} strides; at most {ElementTypes.MaxRank} each, as many strides as sizes.");
        if (offset < 0 || shape.Any(size => size < 0) || strides.Any(stride => stride < 0) || !ElementTypes.TryByteLength(storage.Type, shape, out _))
            throw new CheckpointException(path, $"{described} has a negative or overflowing size, stride or offset.");
        if (shape.All(size => size > 0) && !(TryExtent(shape, strides, out var extent) && extent <= storage.Elements - offset))
            throw new CheckpointException(path, $"{described} reaches past the storage's {storage.Elements} elements.");
        return new LegacyTensorView(storage, offset, [.. shape], [.. strides]);
    }

    /// <summary>Checks <c>sys_info</c>: the file must have been written on a little-endian machine, as SlimGen reads it.</summary>
    public static void CheckSysInfo(object? sysInfo, string path)
    {
        var littleEndian = (sysInfo as PickleDict)?.FirstOrDefault(item => item.Key as string == "little_endian").Value;
        if (littleEndian is not true)
            throw new CheckpointException(path, "the file was written on a big-endian machine (or its sys_info is missing); SlimGen reads little-endian files only.");
    }

    /// <summary>The tensors of a state_dict pickle, as the unpickler built them (<typeparamref name="TTensor"/>), in its order.</summary>
    public static List<(string Name, TTensor Tensor)> StateDict<TTensor>(object? state, string path)
    {
        if (state is not PickleDict items)
            throw new CheckpointException(path, $"the file holds a {Describe(state)}, not a state_dict: save one with torch.save(model.state_dict(), path).");
        var tensors = new List<(string Name, TTensor Tensor)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            if (key is not string name || value is not TTensor tensor)
            {
                throw new CheckpointException(path,
                    $"entry '{key}' holds a {Describe(value)}, not a tensor: the file must hold a state_dict, as torch.save(model.state_dict(), path) writes it.");
            }
            if (!names.Add(name))
                throw new CheckpointException(path, $"the state_dict lists '{name}' twice.");
            tensors.Add((name, tensor));
        }
        return tensors;
    }

    public static long ReadInt64(Stream file, long end, string path, string what) =>
        BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(file, end, 8, path, what));

    public static byte[] ReadBytes(Stream file, long end, int count, string path, string what)
    {
        if (count > end - file.Position)
            throw new CheckpointException(path, $"the file ends inside {what}: it is truncated.");
        var bytes = new byte[count];
        file.ReadExactly(bytes);
        return bytes;
    }

    public static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal global => $"'{global}'",
        PickleDict => "dict",
        object?[] => "tuple",
        _ => value.GetType().Name,
    };

    /// <summary>The number of storage elements from a view's first to its last element, inclusive.</summary>
    private static bool TryExtent(IReadOnlyList<long> shape, IReadOnlyList<long> strides, out long extent)
    {
        extent = 1;
        for (var d = 0; d < shape.Count; d++)
        {
            var reach = (shape[d] - 1) * (decimal)strides[d];
            if (reach > long.MaxValue - extent)
                return false;
            extent += (long)reach;
        }
        return true;
    }

    /// <summary>Reads each tensor's elements from its storage on demand; several tensors may read the same storage.</summary>
    internal sealed class Reader(FileStream file, string path, IReadOnlyList<(string Name, LegacyTensorView View)> tensors) : ICheckpointReader
    {
        private readonly Dictionary<string, LegacyTensorView> views = tensors.ToDictionary(item => item.Name, item => item.View);

        public IReadOnlyList<CheckpointEntry> Entries { get; } =
            tensors.Select(item => new CheckpointEntry(item.Name, item.View.Storage.Type, item.View.Shape)).ToList();

        public Tensor Read(CheckpointEntry entry)
        {
            var view = views[entry.Name];
            if (view.Shape.Any(size => size == 0))
                return empty(view.Shape, view.Storage.Type, CPU);
            TryExtent(view.Shape, view.Strides, out var extent);
            var offset = view.Storage.DataOffset + view.Offset * ElementTypes.Size(view.Storage.Type);
            using var scope = NewDisposeScope();
            var elements = TensorBytes.Read(file, offset, entry with { Shape = [extent] }, path);
            return elements.as_strided(view.Shape, view.Strides).contiguous().MoveToOuterDisposeScope();
        }

        public void Dispose() => file.Dispose();
    }
}
