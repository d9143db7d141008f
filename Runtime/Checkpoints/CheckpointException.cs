using System;

namespace SlimGen.Checkpoints;

/// <summary>
/// A checkpoint file cannot be read (corrupt, truncated, hostile or of an unknown format), or it does not fit the model
/// in a strict load. The message names the file and every problem; the model was left as it was.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for a file and what is wrong with it.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    public CheckpointException(string path, string problem)
        : this(path, problem, report: null, innerException: null)
    {
    }

    /// <summary>Creates the exception for a file, what is wrong with it, and the error that revealed it.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The error raised by the parser or the file system.</param>
    public CheckpointException(string path, string problem, Exception? innerException)
        : this(path, problem, report: null, innerException)
    {
    }

    internal CheckpointException(string path, LoadReport report)
        : this(path, report.DescribeFailure(), report, innerException: null)
    {
    }

    private CheckpointException(string path, string problem, LoadReport? report, Exception? innerException)
        : base($"Checkpoint '{path}': {problem}", innerException)
    {
        Path = path;
        Report = report;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>For a strict load of a checkpoint that does not fit the model: the keys that do not match; otherwise null.</summary>
    public LoadReport? Report { get; }
}
