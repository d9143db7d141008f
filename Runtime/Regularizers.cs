using System;
using static TorchSharp.torch;

namespace SlimGen;

/// <summary>TF-Slim's weight regularizers; each returns a scalar tensor on the weight's device, to add to the loss.</summary>
public static class Regularizers
{
    /// <summary>TF-Slim's <c>l1_regularizer</c>: <c>scale * sum(|w|)</c>.</summary>
    /// <param name="w">The weight tensor.</param>
    /// <param name="scale">The regularization strength; zero or positive.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative or NaN.</exception>
    public static Tensor L1(Tensor w, double scale)
    {
        ArgumentNullException.ThrowIfNull(w);
        CheckScale(scale, nameof(scale));
        using var magnitudes = w.abs();
        using var sum = magnitudes.sum();
        return sum.mul(scale);
    }

    /// <summary>TF-Slim's <c>l2_regularizer</c> (TensorFlow's <c>l2_loss</c>, note the half): <c>scale * sum(w²) / 2</c>.</summary>
    /// <param name="w">The weight tensor.</param>
    /// <param name="scale">The regularization strength (TF-Slim's weight decay); zero or positive.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative or NaN.</exception>
    public static Tensor L2(Tensor w, double scale)
    {
        ArgumentNullException.ThrowIfNull(w);
        CheckScale(scale, nameof(scale));
        using var squares = w.square();
        using var sum = squares.sum();
        return sum.mul(scale / 2);
    }

    /// <summary>TF-Slim's <c>l1_l2_regularizer</c>: <c>L1(w, l1) + L2(w, l2)</c>.</summary>
    /// <param name="w">The weight tensor.</param>
    /// <param name="l1">The L1 strength; zero or positive.</param>
    /// <param name="l2">The L2 strength; zero or positive.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l1"/> or <paramref name="l2"/> is negative or NaN.</exception>
    public static Tensor L1L2(Tensor w, double l1, double l2)
    {
        CheckScale(l2, nameof(l2)); // before L1 allocates anything
        using var l1Term = L1(w, l1);
        using var l2Term = L2(w, l2);
        return l1Term.add(l2Term);
    }

    private static void CheckScale(double scale, string name)
    {
        if (!(scale >= 0))
            throw new ArgumentOutOfRangeException(name, scale, "A regularization scale must be zero or positive.");
    }
}
