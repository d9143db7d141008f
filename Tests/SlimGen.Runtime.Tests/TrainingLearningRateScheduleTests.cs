using System;
using System.Linq;
using SlimGen.Training;
using Xunit;

namespace SlimGen.Runtime.Tests;

/// <summary>The schedules against TensorFlow's formulas, evaluated by hand.</summary>
public class TrainingLearningRateScheduleTests
{
    [Fact]
    public void Exponential_decay_is_continuous_or_a_staircase()
    {
        var smooth = LearningRateSchedule.ExponentialDecay(0.1, decaySteps: 100, decayRate: 0.5);
        var stairs = LearningRateSchedule.ExponentialDecay(0.1, decaySteps: 100, decayRate: 0.5, staircase: true);

        Assert.Equal(0.1, smooth.At(0));
        Assert.Equal(0.1 / Math.Sqrt(2), smooth.At(50), 1e-15);
        Assert.Equal(0.025, smooth.At(200), 1e-15);
        Assert.Equal(0.1, stairs.At(99));
        Assert.Equal(0.05, stairs.At(100));
        Assert.Equal(0.05, stairs.At(199));
    }

    [Fact]
    public void Piecewise_constant_changes_at_each_boundary()
    {
        var schedule = LearningRateSchedule.PiecewiseConstant([100, 300], [1.0, 0.5, 0.1]);

        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.1], new long[] { 0, 99, 100, 299, 300 }.Select(schedule.At));
        Assert.Equal("piecewise 1, 0.5 from step 100, 0.1 from step 300", schedule.ToString());
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.PiecewiseConstant([100], [1.0]));
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.PiecewiseConstant([300, 100], [1.0, 0.5, 0.1]));
    }

    [Fact]
    public void Cosine_decay_falls_along_half_a_cosine_to_alpha_then_stays()
    {
        var schedule = LearningRateSchedule.CosineDecay(0.2, decaySteps: 100, alpha: 0.1);

        Assert.Equal(0.2, schedule.At(0), 1e-15);
        Assert.Equal(0.2 * (0.9 * 0.5 + 0.1), schedule.At(50), 1e-15);
        Assert.Equal(0.02, schedule.At(100), 1e-15);
        Assert.Equal(0.02, schedule.At(1000), 1e-15);
    }

    [Fact]
    public void A_function_of_the_step_is_a_schedule_with_its_own_description()
    {
        var warmUp = LearningRateSchedule.FromFunction(step => 0.1 * Math.Min(1, (step + 1) / 10.0), "linear warm-up to 0.1 over 10 steps");

        Assert.Equal(0.01, warmUp.At(0), 1e-15);
        Assert.Equal(0.1, warmUp.At(50), 1e-15);
        Assert.Equal("linear warm-up to 0.1 over 10 steps", warmUp.ToString());
    }

    [Fact]
    public void Invalid_rates_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.ExponentialDecay(0.1, 10, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.CosineDecay(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(0.1).At(-1));
    }
}
