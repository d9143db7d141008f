using System;

namespace SlimGen.Training;

/// <summary>
/// The loss or the gradient norm became NaN or infinite. The step that found it changed nothing, and no
/// checkpoint was written after the last good one.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What diverged, where, and what to try.</param>
    /// <param name="step">The global step that failed (steps run before it).</param>
    /// <param name="lastCheckpoint">The newest checkpoint's model file, from before the divergence; null when there is none.</param>
    public TrainingDivergedException(string message, long step, string? lastCheckpoint)
        : base(message)
    {
        Step = step;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The global step that failed: the number of steps that ran before it.</summary>
    public long Step { get; }

    /// <summary>The newest checkpoint's model file, written before the divergence; null when there is none.</summary>
    public string? LastCheckpoint { get; }
}
