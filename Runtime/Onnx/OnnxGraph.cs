using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Onnx;

/// <summary>
/// An ONNX graph being built: nodes in execution order, initializers named by TF-Slim's variable names
/// (<c>conv1/conv1_2/weights</c>), and the model around them (opset 17, IR version 8).
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The ONNX operator set the exporter writes; 17 is what ONNX 1.12's checker knows, ONNX Runtime runs it.</summary>
    public const int Opset = 17;

    /// <summary>The name of the model's input, which the first layer reads.</summary>
    public const string InputName = "input";

    /// <summary>A spatial size that is known only when the model runs (a model of variable size).</summary>
    public const long UnknownSize = -2;

    // Symbolic dimensions of the graph's input and output: the batch, and the height and width of a variable size.
    internal const long Batch = -1, InputHeight = -3, InputWidth = -4, OutputHeight = -5, OutputWidth = -6;
    private const long IrVersion = 8;

    // onnx.proto's TensorProto.DataType
    private const int FloatType = 1, Int64Type = 7;

    private readonly List<ProtoWriter> nodes = [];
    private readonly List<ProtoWriter> initializers = [];
    private readonly HashSet<string> names = [];

    internal OnnxGraph(OnnxExportOptions options) => Options = options;

    /// <summary>How the model is exported.</summary>
    public OnnxExportOptions Options { get; }

    /// <summary>Adds a node; returns its single output's name, which is the node's name.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Conv</c>.</param>
    /// <param name="name">A unique name: the layer's scope, or the scope and a suffix.</param>
    /// <param name="inputs">The names of its inputs.</param>
    /// <param name="attributes">Its attributes: <c>long</c>, <c>float</c>, <c>string</c> or <c>long[]</c> values.</param>
    public string Node(string opType, string name, IEnumerable<string> inputs, params (string Name, object Value)[] attributes)
    {
        Reserve(name);
        var node = new ProtoWriter();
        foreach (string input in inputs)
            node.String(1, input);
        node.String(2, name);
        node.String(3, name);
        node.String(4, opType);
        foreach (var (attributeName, value) in attributes)
            node.Message(5, Attribute(attributeName, value));
        nodes.Add(node);
        return name;
    }

    /// <summary>Adds a float32 constant (a weight, or an operand such as Clip's bounds) and returns its name.</summary>
    public string Initializer(string name, Tensor value)
    {
        Reserve(name);
        using var data = value.detach().to(ScalarType.Float32).cpu().contiguous();
        var tensor = new ProtoWriter();
        tensor.PackedInt64(1, data.shape);
        tensor.Int64(2, FloatType);
        tensor.String(8, name);
        tensor.Bytes(9, MemoryMarshal.AsBytes(data.data<float>().ToArray().AsSpan()));
        initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 constant (a shape) and returns its name.</summary>
    public string Initializer(string name, long[] values)
    {
        Reserve(name);
        var tensor = new ProtoWriter();
        tensor.PackedInt64(1, [values.Length]);
        tensor.Int64(2, Int64Type);
        tensor.String(8, name);
        tensor.Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));
        initializers.Add(tensor);
        return name;
    }

    /// <summary>
    /// Applies <paramref name="activation"/> to <paramref name="input"/> as ONNX nodes named after
    /// <paramref name="scope"/> (<c>conv1/conv1_1/Relu</c>); returns the input itself for <see cref="Act.None"/>.
    /// </summary>
    public string Activation(string scope, string input, Act activation)
    {
        string name = $"{scope}/{activation}";
        return activation switch
        {
            Act.None => input,
            Act.Relu => Node("Relu", name, [input]),
            Act.Relu6 => Node("Clip", name, [input, Scalar($"{scope}/relu6_min", 0), Scalar($"{scope}/relu6_max", 6)]),
            Act.LeakyRelu => Node("LeakyRelu", name, [input], ("alpha", (float)Activations.LeakyReluSlope)),
            Act.Elu => Node("Elu", name, [input], ("alpha", 1f)),
            // GELU (exact, as F.gelu computes it): x * (1 + erf(x / sqrt 2)) / 2; opset 17 has no Gelu operator.
            Act.Gelu => Node("Mul", name, [input, Node("Mul", $"{name}/half", [
                Node("Add", $"{name}/one_plus", [Node("Erf", $"{name}/erf", [Node("Div", $"{name}/scaled", [input, Scalar($"{name}/sqrt2", Math.Sqrt(2))])]), Scalar($"{name}/one", 1)]),
                Scalar($"{name}/one_half", 0.5)])]),
            Act.Silu => Node("Mul", name, [input, Node("Sigmoid", $"{name}/sigmoid", [input])]),
            Act.Sigmoid => Node("Sigmoid", name, [input]),
            Act.Tanh => Node("Tanh", name, [input]),
            Act.Softmax => Node("Softmax", name, [input], ("axis", 1L)),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
        };
    }

    /// <summary>The whole model: this graph with its input and output, the opset and SlimGen's metadata.</summary>
    /// <param name="modelName">The model's name, for the graph and the metadata.</param>
    /// <param name="inputShape">The input's shape, batch included; negative dimensions are symbolic.</param>
    /// <param name="output">The name of the graph's output.</param>
    /// <param name="outputShape">The output's shape, batch included; negative dimensions are symbolic.</param>
    /// <param name="declaredInputShape">The per-example shape the model declares (its example size, if variable).</param>
    /// <param name="minimumInputShape">For a model of variable size, the smallest input it takes; null otherwise.</param>
    internal ProtoWriter Model(string modelName, long[] inputShape, string output, long[] outputShape, long[] declaredInputShape, long[]? minimumInputShape)
    {
        var graph = new ProtoWriter();
        foreach (var node in nodes)
            graph.Message(1, node);
        graph.String(2, modelName);
        foreach (var initializer in initializers)
            graph.Message(5, initializer);
        graph.Message(11, ValueInfo(InputName, inputShape));
        graph.Message(12, ValueInfo(output, outputShape));

        var model = new ProtoWriter();
        model.Int64(1, IrVersion);
        model.String(2, "SlimGen");
        model.String(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "");
        model.Message(7, graph);
        var opset = new ProtoWriter();
        opset.String(1, "");
        opset.Int64(2, Opset);
        model.Message(8, opset);
        model.Message(14, MetadataEntry(OnnxMetadataKeys.Model, modelName));
        model.Message(14, MetadataEntry(OnnxMetadataKeys.InputShape, string.Join(",", declaredInputShape)));
        if (minimumInputShape is not null)
            model.Message(14, MetadataEntry(OnnxMetadataKeys.MinimumInputShape, string.Join(",", minimumInputShape)));
        return model;
    }

    private string Scalar(string name, double value) => Initializer(name, tensor((float)value));

    private void Reserve(string name)
    {
        if (!names.Add(name))
            throw new InvalidOperationException($"The ONNX graph already has a node or initializer named '{name}'.");
    }

    private static ProtoWriter Attribute(string name, object value)
    {
        // onnx.proto's AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
        var attribute = new ProtoWriter();
        attribute.String(1, name);
        switch (value)
        {
            case float f:
                attribute.Float(2, f);
                attribute.Int64(20, 1);
                break;
            case long i:
                attribute.Int64(3, i);
                attribute.Int64(20, 2);
                break;
            case string s:
                attribute.String(4, s);
                attribute.Int64(20, 3);
                break;
            case long[] ints:
                attribute.PackedInt64(8, ints);
                attribute.Int64(20, 7);
                break;
            default:
                throw new ArgumentException($"Attribute '{name}' has an unsupported type {value.GetType()}.", nameof(value));
        }
        return attribute;
    }

    /// <summary>A float tensor's name, type and shape; negative dimensions are symbolic: the batch N, and H and W.</summary>
    private static ProtoWriter ValueInfo(string name, long[] shape)
    {
        var dims = new ProtoWriter();
        foreach (long size in shape)
        {
            var dim = new ProtoWriter();
            if (size < 0)
                dim.String(2, size switch { InputHeight => "H", InputWidth => "W", OutputHeight => "H_out", OutputWidth => "W_out", _ => "N" });
            else
                dim.Int64(1, size);
            dims.Message(1, dim);
        }
        var tensorType = new ProtoWriter();
        tensorType.Int64(1, FloatType);
        tensorType.Message(2, dims);
        var type = new ProtoWriter();
        type.Message(1, tensorType);
        var info = new ProtoWriter();
        info.String(1, name);
        info.Message(2, type);
        return info;
    }

    private static ProtoWriter MetadataEntry(string key, string value)
    {
        var entry = new ProtoWriter();
        entry.String(1, key);
        entry.String(2, value);
        return entry;
    }
}
