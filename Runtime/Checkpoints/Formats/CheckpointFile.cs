using System;
using System.Collections.Generic;
using System.IO;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints.Formats;

/// <summary>Opens a checkpoint in whichever format its first bytes reveal, and writes one in a chosen format.</summary>
internal static class CheckpointFile
{
    private const int ReadBufferBytes = 1 << 16;

    /// <summary>Opens <paramref name="path"/> and validates its index; no tensor data is read yet (except for PyTorch zips).</summary>
    /// <exception cref="CheckpointException">The file is empty, in an unknown format, or its index is invalid.</exception>
    public static ICheckpointReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferBytes);
        try
        {
            var head = new byte[Math.Max(LegacyPyTorchFormat.SignatureBytes, LegacyTarFormat.SignatureBytes)];
            var start = head.AsSpan(0, file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false));
            file.Position = 0;
            if (start.IsEmpty)
                throw new CheckpointException(path, "the file is empty.");
            if (SafeTensorsFormat.Recognizes(start))
                return SafeTensorsFormat.Open(file, path);
            if (PyTorchFormat.Recognizes(start))
                return PyTorchFormat.Open(file, path);
            if (LegacyPyTorchFormat.Recognizes(start))
                return LegacyPyTorchFormat.Open(file, path);
            if (LegacyTarFormat.Recognizes(start))
                return LegacyTarFormat.Open(file, path);
            return TorchSharpFormat.Open(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes contiguous CPU tensors to <paramref name="stream"/> in <paramref name="format"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, CheckpointFormat format)
    {
        switch (format)
        {
            case CheckpointFormat.SafeTensors:
                SafeTensorsFormat.Write(stream, tensors);
                break;
            case CheckpointFormat.TorchSharp:
                TorchSharpFormat.Write(stream, tensors);
                break;
            case CheckpointFormat.PyTorch:
                PyTorchFormat.Write(stream, tensors);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown checkpoint format.");
        }
    }
}
