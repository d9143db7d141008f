using System;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen;

/// <summary>The activation functions layers apply after their linear part (and after their normalizer).</summary>
public static class Activations
{
    /// <summary>Slope of <see cref="Act.LeakyRelu"/> for negative inputs (TensorFlow's default).</summary>
    public const double LeakyReluSlope = 0.2;

    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/>.</summary>
    /// <param name="x">The pre-activation tensor; <see cref="Act.Softmax"/> normalizes over its second dimension.</param>
    /// <param name="activation">The activation to apply.</param>
    /// <returns>A new tensor, or <paramref name="x"/> itself for <see cref="Act.None"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined <see cref="Act"/>.</exception>
    public static Tensor Apply(Tensor x, Act activation) => activation switch
    {
        Act.None => x,
        Act.Relu => F.relu(x),
        Act.Relu6 => F.relu6(x),
        Act.LeakyRelu => F.leaky_relu(x, LeakyReluSlope),
        Act.Elu => F.elu(x, alpha: 1.0),
        Act.Gelu => F.gelu(x),
        Act.Silu => F.silu(x),
        Act.Sigmoid => F.sigmoid(x),
        Act.Tanh => F.tanh(x),
        Act.Softmax => F.softmax(x, dim: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
