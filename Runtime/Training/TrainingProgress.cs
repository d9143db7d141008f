using System;
using System.Collections.Generic;

namespace SlimGen.Training;

/// <summary>Reported by <see cref="Trainer.Train"/> after every step, on the training thread.</summary>
/// <param name="Step">Steps run so far, including this one (the global step).</param>
/// <param name="TotalSteps">The global step at which training ends.</param>
/// <param name="Epoch">The epoch this step belongs to, from 1.</param>
/// <param name="Epochs">The epoch at which training ends.</param>
/// <param name="Loss">This step's total loss (loss plus regularization).</param>
/// <param name="LearningRate">The learning rate this step used.</param>
/// <param name="Elapsed">Time since this call to <see cref="Trainer.Train"/> began.</param>
/// <param name="CompletedEpoch">Set when this step ended an epoch: its summary, evaluation included.</param>
public sealed record TrainingProgress(
    long Step, long TotalSteps, int Epoch, int Epochs, double Loss, double LearningRate, TimeSpan Elapsed, EpochSummary? CompletedEpoch);

/// <summary>One finished epoch.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">The global step at its end.</param>
/// <param name="MeanLoss">The mean total loss of the epoch's steps run in this call (all of them unless it resumed mid-epoch).</param>
/// <param name="Duration">The time its steps and its evaluation took.</param>
/// <param name="Evaluation">What <see cref="TrainerOptions.EvaluateAfterEachEpoch"/> returned; empty without it.</param>
public sealed record EpochSummary(int Epoch, long Step, double MeanLoss, TimeSpan Duration, IReadOnlyDictionary<string, double> Evaluation);

/// <summary>What a call to <see cref="Trainer.Train"/> did.</summary>
/// <param name="Step">The global step at the end.</param>
/// <param name="Epochs">The epochs finished in this call.</param>
/// <param name="LastCheckpoint">The newest checkpoint's model file; null without a checkpoint directory.</param>
/// <param name="Elapsed">The call's duration.</param>
public sealed record TrainingResult(long Step, IReadOnlyList<EpochSummary> Epochs, string? LastCheckpoint, TimeSpan Elapsed);
