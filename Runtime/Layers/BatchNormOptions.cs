namespace SlimGen.Layers;

/// <summary>The batch norm that a weighted layer with <see cref="Norm.BatchNorm"/> applies (TF-Slim's <c>normalizer_params</c>).</summary>
/// <param name="Epsilon">Added to the variance before the square root.</param>
/// <param name="Momentum">Weight of the current batch in the running statistics (PyTorch's convention; TensorFlow's decay is <c>1 - momentum</c>).</param>
/// <param name="Scale">Whether the normalization has a learned scale gamma; TF-Slim's <c>batch_norm</c> has none by default.</param>
public sealed record BatchNormOptions(
    double Epsilon = LayerDefaults.BatchNormEpsilon, double Momentum = LayerDefaults.BatchNormMomentum, bool Scale = true);
