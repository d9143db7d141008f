// Compiled into both the generator (what it resolves for a key no attribute or arg scope sets) and the runtime (the
// layers' optional parameters), so that each default is written once.
namespace SlimGen;

/// <summary>TF-Slim's defaults where they shape the network; PyTorch's for batch norm.</summary>
internal static class LayerDefaults
{
    public const int ConvolutionStride = 1;
    public const Pad ConvolutionPadding = Pad.Same;

    /// <summary>TF-Slim's pools: stride 2, VALID padding.</summary>
    public const int PoolStride = 2;
    public const Pad PoolPadding = Pad.Valid;

    /// <summary>Convolutions and dense layers apply ReLU unless told otherwise; batch norm applies nothing.</summary>
    public const Act WeightedActivation = Act.Relu;
    public const Act BatchNormActivation = Act.None;

    public const Init WeightsInit = Init.Xavier;
    public const Init BiasInit = Init.Zeros;

    /// <summary>The scale of the initializers that take one (truncated normal, normal, uniform).</summary>
    public const double WeightsStddev = 0.01;

    public const bool UseBias = true;
    public const Norm Normalizer = Norm.None;
    public const double WeightDecay = 0;

    public const double BatchNormEpsilon = 1e-5;
    public const double BatchNormMomentum = 0.1;
}
