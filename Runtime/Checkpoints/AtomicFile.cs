using System;
using System.IO;

namespace SlimGen.Checkpoints;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same directory, is flushed to the disk,
/// and is then renamed over the target. Readers see the old file or the complete new one, and a save interrupted by an
/// exception, a crash or a power cut never destroys the previous file.
/// </summary>
public static class AtomicFile
{
    private const int WriteBufferBytes = 1 << 20;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, creating its directory if needed.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the complete content to the stream it is given; an exception leaves the old file as it was.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);

        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        // Same directory, hence same file system: the rename below is atomic there. Hidden, and named after the target
        // so that a crash's leftovers are recognisable.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, WriteBufferBytes))
            {
                write(stream);
                // Data on the disk before the rename makes it visible; otherwise a power cut could leave an empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
