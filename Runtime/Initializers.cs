using System;
using static TorchSharp.torch;

namespace SlimGen;

/// <summary>TF-Slim's weight and bias initializers, filling an existing tensor in place on whatever device it lives.</summary>
public static class Initializers
{
    // erf(sqrt(2)) = P(|Z| < 2) for a standard normal Z.
    private const double ShareWithinTwoStddev = 0.95449973610364158;

    // The standard deviation of a standard normal truncated to [-2, 2]: TensorFlow's VarianceScaling divides by it.
    private const double TruncatedStddevRatio = 0.87962566103423978;

    /// <summary>Fills <paramref name="tensor"/> in place according to <paramref name="init"/>, without recording gradients.</summary>
    /// <param name="tensor">
    /// The tensor to fill. The fan-based initializers (<see cref="Init.Xavier"/>, <see cref="Init.XavierNormal"/>,
    /// <see cref="Init.HeNormal"/>, <see cref="Init.HeUniform"/>, <see cref="Init.VarianceScaling"/>) need at least
    /// two dimensions and compute the fans as PyTorch does: fan_in = size(1) × receptive field, fan_out = size(0) ×
    /// receptive field (a depthwise kernel <c>[in × multiplier, 1, kH, kW]</c> has fan_in kH × kW).
    /// </param>
    /// <param name="init">The initializer; <see cref="Init.Default"/> must be resolved by the layer first.</param>
    /// <param name="stddev">The scale of <see cref="Init.TruncatedNormal"/>, <see cref="Init.Normal"/> and <see cref="Init.Uniform"/>.</param>
    /// <param name="value">The value of <see cref="Init.Constant"/>, which needs one; the other initializers ignore it.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="init"/> is <see cref="Init.Default"/>, or is fan-based and <paramref name="tensor"/> has fewer than two dimensions,
    /// or is <see cref="Init.Constant"/> without a <paramref name="value"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stddev"/> is negative or NaN, or <paramref name="init"/> is undefined.</exception>
    public static void Initialize(Tensor tensor, Init init, double stddev = LayerDefaults.WeightsStddev, double? value = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(stddev >= 0))
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "The standard deviation must be zero or positive.");

        if (init == Init.Default)
            throw new ArgumentException("Init.Default has no meaning of its own: the layer resolves it (Xavier for weights, Zeros for biases).", nameof(init));

        if (init == Init.Constant && value is null)
        {
            throw new ArgumentException(
                "Init.Constant needs a value: layers take it for biases (biasValue); weights have no constant initializer.", nameof(value));
        }

        if (tensor.numel() == 0)
            return; // As in PyTorch: nothing to fill, and the fans of an empty tensor are zero.

        using var noGrad = no_grad();
        switch (init)
        {
            case Init.Xavier:
                FillUniform(tensor, Math.Sqrt(6.0 / FanSum(tensor, init)));
                break;
            case Init.XavierNormal:
                tensor.normal_(0, Math.Sqrt(2.0 / FanSum(tensor, init)));
                break;
            case Init.HeNormal:
                tensor.normal_(0, Math.Sqrt(2.0 / Fans(tensor, init).FanIn));
                break;
            case Init.HeUniform:
                FillUniform(tensor, Math.Sqrt(6.0 / Fans(tensor, init).FanIn));
                break;
            case Init.TruncatedNormal:
                FillTruncatedNormal(tensor, stddev);
                break;
            case Init.VarianceScaling:
                // TensorFlow's VarianceScaling(scale=2.0, mode='fan_in', distribution='truncated_normal'): the normal's
                // deviation is raised so that the kept values have variance 2 / fan_in.
                FillTruncatedNormal(tensor, Math.Sqrt(2.0 / Fans(tensor, init).FanIn) / TruncatedStddevRatio);
                break;
            case Init.Normal:
                tensor.normal_(0, stddev);
                break;
            case Init.Uniform:
                FillUniform(tensor, stddev);
                break;
            case Init.Zeros:
                tensor.zero_();
                break;
            case Init.Ones:
                tensor.fill_(1);
                break;
            case Init.Constant:
                tensor.fill_(value!.Value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown initializer.");
        }
    }

    private static void FillUniform(Tensor tensor, double bound) => tensor.uniform_(-bound, bound);

    // Inverse-CDF sampling of N(0, stddev) restricted to two deviations: the distribution TensorFlow gets by
    // redrawing, without a data-dependent loop. The clamp absorbs float rounding at the ends of erfinv.
    private static void FillTruncatedNormal(Tensor tensor, double stddev) =>
        tensor.uniform_(-ShareWithinTwoStddev, ShareWithinTwoStddev).erfinv_()
            .mul_(stddev * Math.Sqrt(2)).clamp_(-2 * stddev, 2 * stddev);

    private static double FanSum(Tensor tensor, Init init)
    {
        var (fanIn, fanOut) = Fans(tensor, init);
        return fanIn + fanOut;
    }

    private static (long FanIn, long FanOut) Fans(Tensor tensor, Init init)
    {
        var shape = tensor.shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException(
                $"Init.{init} needs a tensor with at least 2 dimensions to compute fan-in and fan-out, but got shape [{string.Join(", ", shape)}]. " +
                "Use Zeros, Ones, Constant, Normal, Uniform or TruncatedNormal for biases.", nameof(tensor));
        }

        long receptiveField = 1;
        for (var i = 2; i < shape.Length; i++) receptiveField *= shape[i];
        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }
}
