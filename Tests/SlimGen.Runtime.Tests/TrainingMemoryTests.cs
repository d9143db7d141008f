using System;
using System.IO;
using SlimGen.Training;
using TorchSharp;
using Xunit;
using static SlimGen.Runtime.Tests.TrainingSupport;

namespace SlimGen.Runtime.Tests;

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
        var options = new TrainerOptions
        {
            BatchSize = 16,
            ClipGradientNorm = 1,
            LearningRate = LearningRateSchedule.CosineDecay(0.01, decaySteps: 3000),
            LogEveryNSteps = 100,
            Log = TextWriter.Null,
        };
        (long Tensors, long Resident)? warm = null, end = null;
        // Both measurements between two steps, so that the same tensors (such as the epoch's shuffle order) are alive.
        var measure = new InlineProgress(progress =>
        {
            if (progress.Step == WarmUpSteps)
                warm = Measure();
            else if (progress.Step == progress.TotalSteps)
                end = Measure();
        });

        NewTrainer(model, options).Train(data, Epochs, measure);

        Assert.Equal(warm!.Value.Tensors, end!.Value.Tensors);
        double growth = (double)(end.Value.Resident - warm.Value.Resident) / warm.Value.Resident;
        Assert.True(growth < 0.05, $"resident memory grew by {growth:P1}: {warm.Value.Resident >> 20} MB -> {end.Value.Resident >> 20} MB");
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
