using System;
using System.Globalization;
using System.Linq;

namespace SlimGen.Training;

/// <summary>
/// A learning rate as a function of the global step, as in TensorFlow (<c>tf.train.exponential_decay</c> and
/// friends). Being stateless, a schedule resumes exactly from a checkpoint: the rate at step s is always the same.
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly Func<long, double> rateAt;
    private readonly string description;

    private LearningRateSchedule(Func<long, double> rateAt, string description)
    {
        this.rateAt = rateAt;
        this.description = description;
    }

    /// <summary>The learning rate for the step after <paramref name="step"/> steps have run (the first step is 0).</summary>
    /// <param name="step">The number of steps run so far, zero or positive.</param>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return rateAt(step);
    }

    /// <summary>The same rate at every step.</summary>
    /// <param name="rate">The learning rate, positive.</param>
    public static LearningRateSchedule Constant(double rate)
    {
        CheckPositive(rate, nameof(rate));
        return new(_ => rate, Invariant($"constant {rate}"));
    }

    /// <summary>
    /// TensorFlow's <c>exponential_decay</c>: <c>initialRate * decayRate ^ (step / decaySteps)</c>, with an integer
    /// exponent (a step function) when <paramref name="staircase"/>.
    /// </summary>
    /// <param name="initialRate">The rate at step 0, positive.</param>
    /// <param name="decaySteps">The steps over which the rate is multiplied by <paramref name="decayRate"/> once, positive.</param>
    /// <param name="decayRate">The factor per <paramref name="decaySteps"/>, in (0, 1].</param>
    /// <param name="staircase">Whether the rate drops in steps rather than continuously.</param>
    public static LearningRateSchedule ExponentialDecay(double initialRate, long decaySteps, double decayRate, bool staircase = false)
    {
        CheckPositive(initialRate, nameof(initialRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        if (!(decayRate is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(decayRate), decayRate, "The decay rate must lie in (0, 1].");
        return new(
            step => initialRate * Math.Pow(decayRate, staircase ? step / decaySteps : (double)step / decaySteps),
            Invariant($"{initialRate} x {decayRate}^(step / {decaySteps}{(staircase ? ", staircase" : "")})"));
    }

    /// <summary>
    /// TensorFlow's <c>piecewise_constant</c>: <c>values[0]</c> before <c>boundaries[0]</c>, <c>values[i]</c> from
    /// <c>boundaries[i - 1]</c> on.
    /// </summary>
    /// <param name="boundaries">Increasing steps at which the rate changes.</param>
    /// <param name="values">The rates, one more than the boundaries, each positive.</param>
    public static LearningRateSchedule PiecewiseConstant(long[] boundaries, double[] values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != boundaries.Length + 1)
            throw new ArgumentException($"Expected {boundaries.Length + 1} values for {boundaries.Length} boundaries, got {values.Length}.", nameof(values));
        if (boundaries.Zip(boundaries.Skip(1)).Any(pair => pair.First >= pair.Second))
            throw new ArgumentException("The boundaries must increase.", nameof(boundaries));
        foreach (double value in values)
            CheckPositive(value, nameof(values));
        var (steps, rates) = ((long[])boundaries.Clone(), (double[])values.Clone());
        return new(
            step => rates[steps.Count(boundary => step >= boundary)],
            "piecewise " + string.Join(", ", rates.Select((rate, i) => i == 0 ? Invariant($"{rate}") : Invariant($"{rate} from step {steps[i - 1]}"))));
    }

    /// <summary>
    /// TensorFlow's <c>cosine_decay</c>: from <paramref name="initialRate"/> down to
    /// <c>initialRate * <paramref name="alpha"/></c> along half a cosine over <paramref name="decaySteps"/>, then constant.
    /// </summary>
    /// <param name="initialRate">The rate at step 0, positive.</param>
    /// <param name="decaySteps">The length of the decay, positive.</param>
    /// <param name="alpha">The final rate as a fraction of the initial one, in [0, 1].</param>
    public static LearningRateSchedule CosineDecay(double initialRate, long decaySteps, double alpha = 0)
    {
        CheckPositive(initialRate, nameof(initialRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        if (!(alpha is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in [0, 1].");
        return new(
            step =>
            {
                double progress = Math.Min(step, decaySteps) / (double)decaySteps;
                return initialRate * ((1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * progress)) + alpha);
            },
            Invariant($"cosine from {initialRate} to {initialRate * alpha} over {decaySteps} steps"));
    }

    /// <summary>Any schedule, given as a function of the step.</summary>
    /// <param name="rateAt">The rate for a step; it must be positive and depend on nothing but the step, so that resuming is exact.</param>
    /// <param name="description">How the schedule is shown in logs.</param>
    public static LearningRateSchedule FromFunction(Func<long, double> rateAt, string description)
    {
        ArgumentNullException.ThrowIfNull(rateAt);
        ArgumentException.ThrowIfNullOrEmpty(description);
        return new(rateAt, description);
    }

    /// <summary>The schedule's formula, e.g. <c>0.001 x 0.5^(step / 1000)</c>.</summary>
    public override string ToString() => description;

    private static void CheckPositive(double rate, string name)
    {
        if (!(rate > 0 && double.IsFinite(rate)))
            throw new ArgumentOutOfRangeException(name, rate, "A learning rate must be positive and finite.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
