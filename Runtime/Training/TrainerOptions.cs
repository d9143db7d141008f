using System;
using System.Collections.Generic;
using System.IO;

namespace SlimGen.Training;

/// <summary>How a <see cref="Trainer"/> runs: TF-Slim <c>learning.train</c>'s arguments, plus the data's batching.</summary>
public sealed class TrainerOptions
{
    /// <summary>Examples per step. An incomplete last batch of an epoch is left out (a batch of one would break batch norm). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The learning rate per step, set on every parameter group before each step; null keeps the optimizer's own rate.</summary>
    public LearningRateSchedule? LearningRate { get; init; }

    /// <summary>
    /// Clips the gradients so that their global L2 norm (over all parameters together, TensorFlow's
    /// <c>clip_by_global_norm</c>) is at most this; null does not clip.
    /// </summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>Seeds the global random generator (dropout) at the start of a fresh run, and the shuffling of every epoch. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Steps between log lines and TensorBoard points. Default 100.</summary>
    public int LogEveryNSteps { get; init; } = 100;

    /// <summary>Where log lines go (step, mean loss, learning rate, time per step); nowhere when null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// Where checkpoints go (TF-Slim's <c>logdir</c>): every <see cref="CheckpointEveryNSteps"/>, at the end, and on
    /// cancellation. Training resumes from the newest one found there. None when null.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Steps between checkpoints. Default 1,000.</summary>
    public int CheckpointEveryNSteps { get; init; } = 1000;

    /// <summary>How many of the newest checkpoints are kept; older ones are deleted. Default 3.</summary>
    public int CheckpointsToKeep { get; init; } = 3;

    /// <summary>Where TensorBoard event files go (scalars under <c>train/</c>, <c>epoch/</c> and <c>eval/</c>); none when null.</summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>
    /// Called after each epoch, e.g. <c>() =&gt; Evaluator.Evaluate(model, test).ToScalars()</c>; the values appear
    /// in the epoch's <see cref="EpochSummary"/>, the log and TensorBoard (as <c>eval/name</c>). The model is put
    /// back in training mode afterwards.
    /// </summary>
    public Func<IReadOnlyDictionary<string, double>>? EvaluateAfterEachEpoch { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LogEveryNSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CheckpointEveryNSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CheckpointsToKeep);
        if (ClipGradientNorm is { } clip && !(clip > 0))
            throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), clip, "The gradient norm limit must be positive.");
    }
}
