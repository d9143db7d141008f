using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SlimGen.Checkpoints;
using SlimGen.Training;
using Xunit;
using static SlimGen.Runtime.Tests.TrainingSupport;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>The trainer on a small classifier: learning, determinism, resuming, divergence, clipping and reporting.</summary>
public class TrainingTests : IClassFixture<TrainingSingleThreaded>
{
    // 48 examples in batches of 8: 6 steps per epoch.
    private const int PerClass = 16;
    private const int BatchSize = 8;

    [Fact]
    public void The_loss_falls_and_the_classifier_learns_the_blobs()
    {
        using var data = Blobs(PerClass);
        using var model = NewModel(seed: 1);
        var trainer = NewTrainer(model, new TrainerOptions { BatchSize = BatchSize });

        var result = trainer.Train(data, epochs: 15);

        Assert.Equal(90, result.Step);
        Assert.Equal(15, result.Epochs.Count);
        Assert.True(result.Epochs[^1].MeanLoss < result.Epochs[0].MeanLoss / 3, $"{result.Epochs[0].MeanLoss} -> {result.Epochs[^1].MeanLoss}");
        Assert.True(Evaluator.Evaluate(model, data).Accuracy > 0.95);
    }

    [Fact]
    public void Runs_with_the_same_seeds_are_identical()
    {
        using var data = Blobs(PerClass);
        using var first = NewModel(seed: 1);
        using var second = NewModel(seed: 1);
        var options = new TrainerOptions { BatchSize = BatchSize, Seed = 5 };

        NewTrainer(first, options).Train(data, epochs: 3);
        NewTrainer(second, options).Train(data, epochs: 3);

        Assert.True(SameState(first, second));
    }

    [Fact]
    public void A_run_stopped_mid_epoch_resumes_from_its_checkpoint_exactly_where_it_stopped()
    {
        using var data = Blobs(PerClass);
        using var directory = new TempDirectory();
        using var uninterrupted = NewModel(seed: 1);
        NewTrainer(uninterrupted, new TrainerOptions { BatchSize = BatchSize, CheckpointDirectory = directory.Sub("a") }).Train(data, epochs: 4);

        // Cancelled after step 9, in the middle of epoch 2: the trainer writes a checkpoint and stops.
        using var stopped = NewModel(seed: 1);
        var options = new TrainerOptions { BatchSize = BatchSize, CheckpointDirectory = directory.Sub("b") };
        using var cancellation = new CancellationTokenSource();
        var stopAtNine = new InlineProgress(progress => { if (progress.Step == 9) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => NewTrainer(stopped, options).Train(data, epochs: 4, stopAtNine, cancellation.Token));
        Assert.True(File.Exists(Path.Combine(directory.Sub("b"), "ckpt-00000009.safetensors")));

        // A new process: other initial weights, a new optimizer; everything comes from the checkpoint.
        using var resumed = NewModel(seed: 99);
        var trainer = NewTrainer(resumed, options);
        var result = trainer.Train(data, epochs: 4);

        Assert.Equal(24, trainer.GlobalStep);
        Assert.Equal([2, 3, 4], result.Epochs.Select(e => e.Epoch));
        Assert.True(SameState(uninterrupted, resumed));
    }

    [Fact]
    public void A_NaN_loss_stops_training_before_the_step_and_keeps_the_last_good_checkpoint()
    {
        using var data = Blobs(PerClass);
        using var directory = new TempDirectory();
        using var model = NewModel(seed: 1);
        int calls = 0;
        Func<Tensor, Tensor, Tensor> poisonedAtStepEight = (logits, labels) =>
        {
            var loss = Losses.SparseSoftmaxCrossEntropy(logits, labels);
            return ++calls == 8 ? loss * double.NaN : loss;
        };
        var options = new TrainerOptions { BatchSize = BatchSize, CheckpointDirectory = directory.Path, CheckpointEveryNSteps = 5 };
        Tensor? afterStepSeven = null;
        var remember = new InlineProgress(progress => { if (progress.Step == 7) afterStepSeven = Flat(model).DetachFromDisposeScope(); });

        var error = Assert.Throws<TrainingDivergedException>(() => NewTrainer(model, options, poisonedAtStepEight).Train(data, epochs: 2, remember));

        string lastGood = Path.Combine(directory.Path, "ckpt-00000005.safetensors");
        Assert.Equal(7, error.Step);
        Assert.Equal(lastGood, error.LastCheckpoint);
        Assert.Contains("step 8: the total loss is NaN", error.Message);
        Assert.Contains(lastGood, error.Message);
        Assert.Equal(["ckpt-00000005.safetensors", "ckpt-00000005.trainer.safetensors"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
        using (afterStepSeven)
        using (var now = Flat(model))
            Assert.True(Identical(now, afterStepSeven!), "the failed step changed the weights");
        using var restored = NewModel(seed: 99);
        Checkpoint.Load(restored, lastGood);
    }

    [Fact]
    public void Gradients_are_clipped_to_the_global_norm()
    {
        using var data = Blobs(PerClass);
        double Change(double? clip)
        {
            using var model = NewModel(seed: 1);
            using var before = Flat(model);
            var options = new TrainerOptions { BatchSize = (int)data.Count, ClipGradientNorm = clip };
            // Plain SGD with rate 1: the change of the weights is the (clipped) gradient itself.
            new Trainer(model, optim.SGD(model.parameters(), 1.0), Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss, options).Train(data, epochs: 1);
            using var after = Flat(model);
            return (after - before).norm().item<float>();
        }

        Assert.True(Change(clip: null) > 0.01);
        Assert.Equal(0.001, Change(clip: 0.001), 1e-6);
    }

    [Fact]
    public void The_learning_rate_follows_the_schedule_step_by_step()
    {
        using var data = Blobs(PerClass);
        using var model = NewModel(seed: 1);
        var schedule = LearningRateSchedule.ExponentialDecay(0.01, decaySteps: 6, decayRate: 0.5, staircase: true);
        var rates = new List<(long Step, double Rate)>();
        using var optimizer = optim.Adam(model.parameters());
        var trainer = new Trainer(model, optimizer, Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss,
            new TrainerOptions { BatchSize = BatchSize, LearningRate = schedule });

        trainer.Train(data, epochs: 3, new InlineProgress(progress => rates.Add((progress.Step, progress.LearningRate))));

        Assert.Equal(Enumerable.Range(1, 18).Select(step => schedule.At(step - 1)), rates.Select(r => r.Rate));
        Assert.Equal(0.0025, optimizer.ParamGroups.Single().LearningRate, 1e-12);
    }

    [Fact]
    public void The_total_loss_includes_the_models_regularization()
    {
        using var data = Blobs(PerClass);
        using var model = NewModel(seed: 1);
        float regularization;
        using (var penalty = model.RegularizationLoss())
            regularization = penalty.item<float>();
        var losses = new List<double>();
        Func<Tensor, Tensor, Tensor> noDataLoss = (logits, labels) => logits.sum() * 0;

        NewTrainer(model, new TrainerOptions { BatchSize = BatchSize }, noDataLoss).Train(data, epochs: 1, new InlineProgress(p => losses.Add(p.Loss)));

        Assert.True(regularization > 0);
        Assert.Equal(regularization, losses[0], 1e-6);
        Assert.True(losses[^1] < losses[0], "weight decay alone shrinks the weights");
    }

    [Fact]
    public void Progress_log_and_TensorBoard_report_steps_epochs_and_evaluations()
    {
        using var data = Blobs(PerClass);
        using var directory = new TempDirectory();
        using var model = NewModel(seed: 1);
        var log = new StringWriter();
        var reports = new List<TrainingProgress>();
        bool trainingModeAfterEvaluation = false;
        var options = new TrainerOptions
        {
            BatchSize = BatchSize,
            LogEveryNSteps = 4,
            Log = log,
            TensorBoardDirectory = directory.Path,
            EvaluateAfterEachEpoch = () => Evaluator.Evaluate(model, data, Losses.SparseSoftmaxCrossEntropy).ToScalars(),
        };

        NewTrainer(model, options).Train(data, epochs: 2, new InlineProgress(progress =>
        {
            reports.Add(progress);
            trainingModeAfterEvaluation = model.training;
        }));

        Assert.Equal(Enumerable.Range(1, 12).Select(step => (long)step), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(12, r.TotalSteps));
        Assert.Equal([6L, 12L], reports.Where(r => r.CompletedEpoch is not null).Select(r => r.Step));
        var lastEpoch = reports[^1].CompletedEpoch!;
        Assert.Equal(2, lastEpoch.Epoch);
        Assert.InRange(lastEpoch.Evaluation["accuracy"], 0, 1);
        Assert.True(trainingModeAfterEvaluation);

        string text = log.ToString();
        Assert.Contains("step 4/12, epoch 1/2: loss ", text);
        Assert.Contains("step 12/12, epoch 2/2: loss ", text);
        Assert.Contains("epoch 2 (step 12): mean loss ", text);

        string events = Encoding.UTF8.GetString(File.ReadAllBytes(Directory.GetFiles(directory.Path, "events.out.tfevents.*").Single()));
        foreach (string tag in new[] { "train/loss", "train/learning_rate", "train/regularization_loss", "epoch/loss", "eval/accuracy", "eval/loss" })
            Assert.Contains(tag, events);
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept()
    {
        using var data = Blobs(PerClass);
        using var directory = new TempDirectory();
        using var model = NewModel(seed: 1);
        var options = new TrainerOptions { BatchSize = BatchSize, CheckpointDirectory = directory.Path, CheckpointEveryNSteps = 2, CheckpointsToKeep = 2 };

        var result = NewTrainer(model, options).Train(data, epochs: 2);

        Assert.Equal(
            ["ckpt-00000010.safetensors", "ckpt-00000010.trainer.safetensors", "ckpt-00000012.safetensors", "ckpt-00000012.trainer.safetensors"],
            Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
        Assert.Equal(Path.Combine(directory.Path, "ckpt-00000012.safetensors"), result.LastCheckpoint);
    }

    [Fact]
    public void A_dataset_smaller_than_one_batch_is_an_argument_error()
    {
        using var data = Blobs(perClass: 2);
        using var model = NewModel(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => NewTrainer(model, new TrainerOptions { BatchSize = 7 }).Train(data, epochs: 1));

        Assert.Contains("6 examples do not fill one batch of 7", error.Message);
    }
}
