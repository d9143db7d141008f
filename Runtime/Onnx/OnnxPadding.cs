namespace SlimGen.Onnx;

/// <summary>TensorFlow padding as ONNX's <c>auto_pad</c>.</summary>
internal static class OnnxPadding
{
    /// <summary>
    /// SAME_UPPER is TensorFlow's SAME (output <c>ceil(in / stride)</c>, any odd cell of padding at the bottom and
    /// right) for every input size, so the exported graph needs no fixed spatial size.
    /// </summary>
    public static string Of(Pad padding) => padding == Pad.Same ? "SAME_UPPER" : "VALID";
}
