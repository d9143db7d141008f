// Compiled into both the runtime (the ONNX export writes these keys) and SlimGen.Onnx (which reads them), which share
// no assembly but the attributes, so that each key is written once.
namespace SlimGen;

/// <summary>The metadata keys of a SlimGen ONNX file.</summary>
internal static class OnnxMetadataKeys
{
    /// <summary>The model's class name.</summary>
    public const string Model = "slimgen.model";

    /// <summary>The per-example input shape [SlimModel] declares, comma-separated: <c>3,224,224</c>.</summary>
    public const string InputShape = "slimgen.input_shape";

    /// <summary>In a model of variable size, the smallest input it accepts, comma-separated.</summary>
    public const string MinimumInputShape = "slimgen.minimum_input_shape";
}
