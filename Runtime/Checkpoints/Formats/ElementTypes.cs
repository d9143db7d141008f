using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>
/// The element types the checkpoint parsers accept, with their safetensors names, the names of PyTorch's legacy storage
/// classes (<c>torch.FloatStorage</c>...) and their sizes in bytes.
/// </summary>
internal static class ElementTypes
{
    private static readonly (ScalarType Type, string SafeTensorsName, string StorageName, int Size)[] Table =
    [
        (ScalarType.Bool, "BOOL", "BoolStorage", 1),
        (ScalarType.Byte, "U8", "ByteStorage", 1),
        (ScalarType.Int8, "I8", "CharStorage", 1),
        (ScalarType.Int16, "I16", "ShortStorage", 2),
        (ScalarType.Int32, "I32", "IntStorage", 4),
        (ScalarType.Int64, "I64", "LongStorage", 8),
        (ScalarType.Float16, "F16", "HalfStorage", 2),
        (ScalarType.BFloat16, "BF16", "BFloat16Storage", 2),
        (ScalarType.Float32, "F32", "FloatStorage", 4),
        (ScalarType.Float64, "F64", "DoubleStorage", 8),
    ];

    /// <summary>The maximum number of dimensions of a tensor in a checkpoint; more would only be a way to allocate.</summary>
    public const int MaxRank = 64;

    public static string SafeTensorsNames => string.Join(", ", Table.Select(entry => entry.SafeTensorsName));

    public static bool IsSupported(ScalarType type) => Table.Any(entry => entry.Type == type);

    /// <summary>The storage classes of PyTorch's legacy format, such as <c>FloatStorage</c> (in the module <c>torch</c>).</summary>
    public static IEnumerable<string> StorageNames => Table.Select(entry => entry.StorageName);

    public static bool TryFromSafeTensors(string name, out ScalarType type) => TryFind(entry => entry.SafeTensorsName == name, out type);

    public static bool TryFromStorageName(string name, out ScalarType type) => TryFind(entry => entry.StorageName == name, out type);

    public static int Size(ScalarType type) => Find(type).Size;

    public static string ToSafeTensors(ScalarType type) => Find(type).SafeTensorsName;

    /// <exception cref="ArgumentException"><paramref name="type"/> is not one the checkpoint parsers accept.</exception>
    public static void EnsureSupported(ScalarType type) => Find(type);

    /// <summary>
    /// The bytes of a tensor of <paramref name="shape"/>: false when a dimension is negative or the size overflows, so
    /// that a hostile shape is rejected before anything is allocated for it.
    /// </summary>
    public static bool TryByteLength(ScalarType type, IReadOnlyList<long> shape, out long bytes)
    {
        bytes = Find(type).Size;
        foreach (var dimension in shape)
        {
            if (dimension < 0 || (dimension > 0 && bytes > long.MaxValue / dimension))
                return false;
            bytes *= dimension;
        }
        return true;
    }

    private static bool TryFind(Func<(ScalarType Type, string SafeTensorsName, string StorageName, int Size), bool> match, out ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (match(entry))
            {
                type = entry.Type;
                return true;
            }
        }
        type = default;
        return false;
    }

    private static (ScalarType Type, string SafeTensorsName, string StorageName, int Size) Find(ScalarType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
                return entry;
        }
        throw new ArgumentException(
            $"Element type {type} cannot be stored in a checkpoint; supported: {string.Join(", ", Table.Select(entry => entry.Type))}.",
            nameof(type));
    }
}
