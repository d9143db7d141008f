namespace SlimGen.Generator.Model;

/// <summary>A local response normalization's settings, TensorFlow's: <c>x / (Bias + Alpha * sum(x^2))^Beta</c> over 2r + 1 channels.</summary>
internal sealed record ResponseNormalizationSpec(int DepthRadius, double Bias, double Alpha, double Beta);
