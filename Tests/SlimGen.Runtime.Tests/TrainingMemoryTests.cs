using System;
using System.IO;
using SlimGen.Data;
using SlimGen.Training;
using TorchSharp;
using Xunit;
using static SlimGen.Op;
using static SlimGen.Runtime.Tests.TrainingSupport;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Convolution, batch norm (whose running statistics change at every step), pooling and dropout.</summary>
[SlimModel(1, 8, 8)]
[ArgScope(Conv2d, FullyConnected, Normalizer = Norm.BatchNorm, WeightDecay = 0.001)]
[Conv2d(4, 3, Scope = "conv1")]
[MaxPool2d(2, Scope = "pool1")]
[Flatten]
[FullyConnected(8, Scope = "hidden")]
[Dropout(0.25, Scope = "dropout")]
[FullyConnected(3, Activation = Act.None, Normalizer = Norm.None, Scope = "logits")]
public partial class TinyBatchNormCnn { }

/// <summary>One dispose scope per step keeps a long run's memory flat.</summary>
public class TrainingMemoryTests : IClassFixture<TrainingSingleThreaded>
{
    // JIT tiering and the GC's heap sizing settle within the first few hundred steps; then 2,000 steps are measured.
    private const int WarmUpSteps = 1000;
    private const int Epochs = 250; // 12 steps each: 3,000 steps

    [Fact]
    public void Live_tensors_and_resident_memory_stay_flat_over_2000_steps_after_warm_up()
    {
        using var data = Blobs(perClass: 64);
        using var model = NewModel(seed: 1);
        TrainAndCheckMemory(data, NewTrainer(model, Options()));
    }

    [Fact]
    public void A_batch_norm_cnn_stays_flat_over_2000_steps_after_warm_up()
    {
        using var data = ImageBlobs(perClass: 64);
        manual_seed(1);
        using var model = new TinyBatchNormCnn();
        using var optimizer = optim.Adam(model.parameters(), 0.01);
        TrainAndCheckMemory(data, new Trainer(model, optimizer, Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss, Options()));
    }

    private static TrainerOptions Options() => new()
    {
        BatchSize = 16,
        ClipGradientNorm = 1,
        LearningRate = LearningRateSchedule.CosineDecay(0.01, decaySteps: 3000),
        LogEveryNSteps = 100,
        Log = TextWriter.Null,
    };

    private static void TrainAndCheckMemory(InMemoryDataset data, Trainer trainer)
    {
        (long Tensors, long Resident)? warm = null, end = null;
        // Both measurements between two steps, so that the same tensors (such as the epoch's shuffle order) are alive.
        var measure = new InlineProgress(progress =>
        {
            if (progress.Step == WarmUpSteps)
                warm = Measure();
            else if (progress.Step == progress.TotalSteps)
                end = Measure();
        });

        trainer.Train(data, Epochs, measure);

        Assert.Equal(warm!.Value.Tensors, end!.Value.Tensors);
        double growth = (double)(end.Value.Resident - warm.Value.Resident) / warm.Value.Resident;
        Assert.True(growth < 0.05, $"resident memory grew by {growth:P1}: {warm.Value.Resident >> 20} MB -> {end.Value.Resident >> 20} MB");
    }

    /// <summary>Three classes of 8x8 images: a bright quadrant per class, plus noise.</summary>
    private static InMemoryDataset ImageBlobs(int perClass)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var labels = arange(3, dtype: ScalarType.Int64).repeat_interleave(perClass);
        var patterns = zeros(3, 1, 8, 8);
        patterns[0, 0, ..4, ..4] = tensor(2f);
        patterns[1, 0, ..4, 4..] = tensor(2f);
        patterns[2, 0, 4.., ..] = tensor(2f);
        var inputs = patterns.index_select(0, labels) + randn([3 * perClass, 1, 8, 8], generator: generator) * 0.5f;
        return new InMemoryDataset(inputs.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Live TorchSharp tensors on this thread (exact: a tensor leaked by a step would add one per step), then resident
    /// memory after a full collection, which takes managed garbage out of the comparison.
    /// </summary>
    private static (long Tensors, long Resident) Measure()
    {
        long tensors = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (tensors, Environment.WorkingSet);
    }
}
