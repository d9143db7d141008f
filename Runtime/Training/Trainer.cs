using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using SlimGen.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SlimGen.Training;

/// <summary>
/// TF-Slim's <c>learning.train</c> for TorchSharp: minimizes the loss plus the model's regularization with any
/// optimizer, under a learning-rate schedule, with optional gradient clipping by global norm; logs, writes
/// TensorBoard scalars and checkpoints every N steps and resumes from the newest checkpoint; stops with a
/// <see cref="TrainingDivergedException"/> before applying a NaN or infinite loss or gradient.
/// </summary>
/// <remarks>
/// Each step runs in its own dispose scope and keeps only a few numbers, so memory stays flat however long
/// training runs. A run is deterministic for a given model initialization and <see cref="TrainerOptions.Seed"/>:
/// the trainer seeds the global generator at the start of a fresh run, shuffles each epoch with a permutation
/// derived from the seed and the epoch, and checkpoints the generator's state, so that a resumed run continues
/// exactly as an uninterrupted one would (on the CPU; CUDA's generator is not checkpointed).
/// </remarks>
public sealed class Trainer
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly optim.Optimizer optimizer;
    private readonly Func<Tensor, Tensor, Tensor> loss;
    private readonly Func<Tensor>? regularizationLoss;
    private readonly TrainerOptions options;
    private readonly TrainingCheckpoints? checkpoints;
    private readonly Parameter[] parameters;
    private readonly Device device;
    private string? lastCheckpoint;
    private long lastCheckpointStep = -1;

    /// <summary>Creates a trainer; nothing runs until <see cref="Train"/>.</summary>
    /// <param name="model">The model, on the device to train on; batches are moved there.</param>
    /// <param name="optimizer">Any TorchSharp optimizer over the model's parameters. Checkpointing needs one of TorchSharp's own (an <see cref="OptimizerHelper"/>), which all are.</param>
    /// <param name="loss">The loss of a batch from the model's output and the labels, e.g. <see cref="Losses.SparseSoftmaxCrossEntropy(Tensor, Tensor)"/>.</param>
    /// <param name="regularizationLoss">Added to the loss at every step; pass a SlimGen model's <c>RegularizationLoss</c>. Null for none.</param>
    /// <param name="options">How to train; the defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range, or checkpointing is asked of an optimizer that cannot save its state.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, Func<Tensor>? regularizationLoss,
        TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        this.options = options ?? new TrainerOptions();
        this.options.Validate();
        if (this.options.CheckpointDirectory is { } directory)
        {
            if (optimizer is not OptimizerHelper)
                throw new ArgumentException($"Checkpoints need an optimizer that can save its state; {optimizer.GetType().Name} cannot.", nameof(optimizer));
            checkpoints = new TrainingCheckpoints(directory, this.options.CheckpointsToKeep);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.regularizationLoss = regularizationLoss;
        parameters = model.parameters().ToArray();
        device = TensorHelpers.DeviceOf(model);
    }

    /// <summary>The number of steps run (or restored from a checkpoint): TF's global step.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>
    /// Trains until the end of epoch <paramref name="epochs"/>, first restoring the newest checkpoint when it is
    /// ahead of <see cref="GlobalStep"/> (so a restarted program continues where the last one stopped).
    /// </summary>
    /// <param name="data">The training examples, shuffled anew each epoch.</param>
    /// <param name="epochs">The epoch to train to, counted from the start of the run, not from a resumed step.</param>
    /// <param name="progress">Told after every step, on this thread.</param>
    /// <param name="cancellationToken">Stops between steps, after writing a checkpoint when there is a checkpoint directory.</param>
    /// <returns>The epochs finished in this call and the final step.</returns>
    /// <exception cref="ArgumentException"><paramref name="data"/> holds fewer examples than one batch.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public TrainingResult Train(InMemoryDataset data, int epochs, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        long stepsPerEpoch = data.BatchCount(options.BatchSize, dropPartial: true);
        if (stepsPerEpoch == 0)
            throw new ArgumentException($"The dataset's {data.Count} examples do not fill one batch of {options.BatchSize}.", nameof(data));

        ResumeOrSeed();
        var clock = Stopwatch.StartNew();
        var completed = new List<EpochSummary>();
        long totalSteps = epochs * stepsPerEpoch;
        var tensorBoard = options.TensorBoardDirectory is { } logDirectory ? utils.tensorboard.SummaryWriter(logDirectory) : null;
        var window = new LogWindow(clock.Elapsed);
        model.train();

        while (GlobalStep < totalSteps)
        {
            int epoch = (int)(GlobalStep / stepsPerEpoch);
            var epochStart = clock.Elapsed;
            double epochLossSum = 0;
            long epochSteps = 0;
            // Distinct for every (seed, epoch), and recomputable when resuming mid-epoch.
            using var order = data.Permutation(unchecked(options.Seed * 1_000_003 + epoch));
            for (long batch = GlobalStep % stepsPerEpoch; batch < stepsPerEpoch; batch++)
            {
                StopIfCancelled(cancellationToken);
                double learningRate = ApplyLearningRate();
                var step = RunStep(data, order, batch);
                GlobalStep++;
                epochLossSum += step.Loss;
                epochSteps++;
                window.Add(step.Loss);

                if (GlobalStep % options.LogEveryNSteps == 0)
                {
                    LogStep(window, clock.Elapsed, totalSteps, epoch, epochs, learningRate, step, tensorBoard);
                    window = new LogWindow(clock.Elapsed);
                }
                if (checkpoints is not null && GlobalStep % options.CheckpointEveryNSteps == 0)
                    SaveCheckpoint();

                EpochSummary? summary = null;
                if (batch == stepsPerEpoch - 1)
                {
                    summary = FinishEpoch(epoch + 1, epochLossSum / epochSteps, clock.Elapsed - epochStart, tensorBoard);
                    completed.Add(summary);
                }
                progress?.Report(new TrainingProgress(GlobalStep, totalSteps, epoch + 1, epochs, step.Loss, learningRate, clock.Elapsed, summary));
            }
        }

        if (checkpoints is not null && lastCheckpointStep != GlobalStep)
            SaveCheckpoint();
        return new TrainingResult(GlobalStep, completed, lastCheckpoint, clock.Elapsed);
    }

    private void ResumeOrSeed()
    {
        long? latest = checkpoints?.LatestStep();
        if (latest > GlobalStep)
        {
            checkpoints!.Restore(latest.Value, model, (OptimizerHelper)optimizer);
            GlobalStep = latest.Value;
            lastCheckpoint = checkpoints.ModelPath(latest.Value);
            lastCheckpointStep = latest.Value;
            options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restored step {GlobalStep} from {lastCheckpoint}."));
        }
        else if (GlobalStep == 0)
        {
            manual_seed(options.Seed);
        }
    }

    private double ApplyLearningRate()
    {
        if (options.LearningRate is null)
            return optimizer.ParamGroups.First().LearningRate;
        double rate = options.LearningRate.At(GlobalStep);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
        return rate;
    }

    private StepResult RunStep(InMemoryDataset data, Tensor order, long batch)
    {
        using var scope = NewDisposeScope();
        var (inputs, labels) = data.Batch(batch, options.BatchSize, order);
        optimizer.zero_grad();
        var output = model.call(inputs.to(device));
        var total = loss(output, labels.to(device));
        double regularization = 0;
        if (regularizationLoss is not null)
        {
            var penalty = regularizationLoss();
            regularization = TensorHelpers.ReadScalar(penalty);
            total = total + penalty;
        }
        double value = TensorHelpers.ReadScalar(total);
        if (!double.IsFinite(value))
            throw Diverged(string.Create(CultureInfo.InvariantCulture, $"the total loss is {value}"));
        total.backward();
        double? gradientNorm = null;
        if (options.ClipGradientNorm is { } limit)
        {
            gradientNorm = nn.utils.clip_grad_norm_(parameters, limit);
            if (!double.IsFinite(gradientNorm.Value))
                throw Diverged(string.Create(CultureInfo.InvariantCulture, $"the global gradient norm is {gradientNorm}"));
        }
        optimizer.step();
        return new StepResult(value, regularization, gradientNorm);
    }

    private TrainingDivergedException Diverged(string what)
    {
        string checkpoint = lastCheckpoint is null
            ? "There is no checkpoint of this run."
            : string.Create(CultureInfo.InvariantCulture, $"The last good checkpoint is {lastCheckpoint} (step {lastCheckpointStep}).");
        return new TrainingDivergedException(
            string.Create(CultureInfo.InvariantCulture, $"Training diverged at step {GlobalStep + 1}: {what}. The step was not applied. {checkpoint} ") +
            "Try a lower learning rate, gradient clipping (TrainerOptions.ClipGradientNorm), or check the data and the loss for invalid values.",
            GlobalStep, lastCheckpoint);
    }

    private void LogStep(LogWindow window, TimeSpan now, long totalSteps, int epoch, int epochs, double learningRate, StepResult step, SummaryWriter? tensorBoard)
    {
        double secondsPerStep = (now - window.Start).TotalSeconds / window.Steps;
        options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step {GlobalStep}/{totalSteps}, epoch {epoch + 1}/{epochs}: loss {window.MeanLoss:0.0000} (mean of {window.Steps}), " +
            $"regularization {step.Regularization:0.0000}, lr {learningRate:G4}, {secondsPerStep:0.000} s/step, " +
            $"{options.BatchSize / secondsPerStep:0} examples/s"));
        AddScalar(tensorBoard, "train/loss", window.MeanLoss);
        AddScalar(tensorBoard, "train/regularization_loss", step.Regularization);
        AddScalar(tensorBoard, "train/learning_rate", learningRate);
        AddScalar(tensorBoard, "train/examples_per_second", options.BatchSize / secondsPerStep);
        if (step.GradientNorm is { } norm)
            AddScalar(tensorBoard, "train/gradient_norm", norm);
    }

    private EpochSummary FinishEpoch(int epoch, double meanLoss, TimeSpan trainingTime, SummaryWriter? tensorBoard)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, double> evaluation = new Dictionary<string, double>();
        if (options.EvaluateAfterEachEpoch is { } evaluate)
        {
            evaluation = evaluate();
            model.train();
        }
        var summary = new EpochSummary(epoch, GlobalStep, meanLoss, trainingTime + clock.Elapsed, evaluation);
        options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch} (step {GlobalStep}): mean loss {meanLoss:0.0000}{string.Concat(evaluation.Select(e => string.Create(CultureInfo.InvariantCulture, $", {e.Key} {e.Value:0.0000}")))}, {summary.Duration.TotalSeconds:0.0} s"));
        AddScalar(tensorBoard, "epoch/loss", meanLoss);
        foreach (var (name, value) in evaluation)
            AddScalar(tensorBoard, "eval/" + name, value);
        return summary;
    }

    private void SaveCheckpoint()
    {
        lastCheckpoint = checkpoints!.Save(GlobalStep, model, (OptimizerHelper)optimizer);
        lastCheckpointStep = GlobalStep;
        options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Saved {lastCheckpoint}."));
    }

    private void AddScalar(SummaryWriter? tensorBoard, string tag, double value) =>
        tensorBoard?.add_scalar(tag, (float)value, checked((int)GlobalStep));

    private void StopIfCancelled(CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
            return;
        if (checkpoints is not null && lastCheckpointStep != GlobalStep)
            SaveCheckpoint();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private readonly record struct StepResult(double Loss, double Regularization, double? GradientNorm);

    /// <summary>The steps since the last log line.</summary>
    private sealed class LogWindow(TimeSpan start)
    {
        private double lossSum;

        public TimeSpan Start { get; } = start;

        public int Steps { get; private set; }

        public double MeanLoss => lossSum / Steps;

        public void Add(double loss)
        {
            lossSum += loss;
            Steps++;
        }
    }
}
