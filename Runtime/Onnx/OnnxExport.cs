using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SlimGen.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Onnx;

/// <summary>How <see cref="OnnxExport.ExportOnnx"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Folds each layer's batch norm into its convolution or dense layer's weights and bias (exact in inference,
    /// where batch norm uses its running statistics); false keeps BatchNormalization nodes with TF-Slim's names.
    /// </summary>
    public bool FoldBatchNorm { get; init; } = true;
}

/// <summary>A SlimGen layer that writes itself as ONNX nodes.</summary>
internal interface IOnnxLayer
{
    /// <summary>
    /// Adds the layer's nodes and initializers, named after <paramref name="scope"/>, for an input of the compile-time
    /// per-example shape <paramref name="inputShape"/>; returns its output's name.
    /// </summary>
    string ExportOnnx(OnnxGraph graph, string scope, string input, IReadOnlyList<long> inputShape);
}

/// <summary>
/// TF-Slim's <c>export_inference_graph</c> for SlimGen models: the graph comes from the model's compile-time layer
/// table (<c>Summary</c>, in execution order, with TF-Slim's scopes), each layer writes its own nodes with its current
/// weights, and the inputs have a symbolic batch dimension N.
/// </summary>
public static class OnnxExport
{
    /// <summary>
    /// Writes <paramref name="model"/>, a SlimGen model, with its current weights to <paramref name="path"/> as an ONNX
    /// model (opset 17) for inference: dropout off, batch norm with its running statistics. The file is written
    /// atomically: a failed export leaves no partial file and an existing one untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The model is not a SlimGen model (it has no compile-time <c>Summary</c>).</exception>
    /// <exception cref="NotSupportedException">A layer has no ONNX export; the message names it.</exception>
    public static void ExportOnnx(this nn.Module<Tensor, Tensor> model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var exported = Build(model, options ?? new OnnxExportOptions());
        AtomicFile.Write(path, exported.Proto.WriteTo);
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a model of an NVIDIA Triton Inference Server model repository, for its
    /// onnxruntime backend: <c>repository/name/config.pbtxt</c> and <c>repository/name/1/model.onnx</c>, with dynamic
    /// batching up to <paramref name="maxBatchSize"/> (docs/DEPLOY.md).
    /// </summary>
    /// <param name="model">A SlimGen model, with the weights to serve.</param>
    /// <param name="repository">The model repository folder (created if needed).</param>
    /// <param name="name">The model's name in Triton: letters, digits, '_', '-' and '.'.</param>
    /// <param name="maxBatchSize">The largest batch Triton forms from concurrent requests.</param>
    /// <param name="maxQueueDelayMicroseconds">How long Triton waits for more requests once it has one.</param>
    /// <returns>The path of the written config.pbtxt.</returns>
    public static string ExportTritonModel(
        this nn.Module<Tensor, Tensor> model, string repository, string name, int maxBatchSize = 8, int maxQueueDelayMicroseconds = 2000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(repository);
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a Triton model name: use letters, digits, '_', '-' and '.'.", nameof(name));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueueDelayMicroseconds);

        var exported = Build(model, new OnnxExportOptions());
        string folder = Path.Combine(repository, name);
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        AtomicFile.Write(Path.Combine(folder, "1", "model.onnx"), exported.Proto.WriteTo);
        string config = Path.Combine(folder, "config.pbtxt");
        AtomicFile.Write(config, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(TritonConfig(name, exported, maxBatchSize, maxQueueDelayMicroseconds));
        });
        return config;
    }

    // Triton's model configuration in protobuf text format; with max_batch_size above 0, dims leave out the batch.
    private static string TritonConfig(string name, Exported exported, int maxBatchSize, int maxQueueDelayMicroseconds) =>
        string.Join('\n',
            $"name: \"{name}\"",
            "platform: \"onnxruntime_onnx\"",
            $"max_batch_size: {maxBatchSize}",
            "input [",
            $"  {{ name: \"{exported.Input}\" data_type: TYPE_FP32 dims: [ {string.Join(", ", exported.InputShape.Skip(1))} ] }}",
            "]",
            "output [",
            $"  {{ name: \"{exported.Output}\" data_type: TYPE_FP32 dims: [ {string.Join(", ", exported.OutputShape.Skip(1))} ] }}",
            "]",
            $"dynamic_batching {{ max_queue_delay_microseconds: {maxQueueDelayMicroseconds} }}",
            "instance_group [ { count: 1 kind: KIND_CPU } ]",
            "");

    /// <summary>The ONNX model as bytes, for callers that store it elsewhere.</summary>
    public static byte[] ToOnnx(this nn.Module<Tensor, Tensor> model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model, options ?? new OnnxExportOptions()).Proto.ToArray();
    }

    /// <summary>An exported model and the names and shapes (batch -1) of its input and output.</summary>
    private sealed record Exported(ProtoWriter Proto, string Input, long[] InputShape, string Output, long[] OutputShape);

    private static Exported Build(nn.Module<Tensor, Tensor> model, OnnxExportOptions options)
    {
        try
        {
            return Build(model, options, symbolicSize: true);
        }
        catch (SizeDependentPaddingException)
        {
            // A strided, dilated SAME convolution (or one with a kernel smaller than its stride) in a model of variable
            // size: ONNX cannot pad it for every size, so the graph takes the declared size.
            return Build(model, options, symbolicSize: false);
        }
    }

    private static Exported Build(nn.Module<Tensor, Tensor> model, OnnxExportOptions options, bool symbolicSize)
    {
        var summary = (model as ISlimModel)?.Summary
            ?? throw new ArgumentException(
                $"{model.GetType().Name} is not a SlimGen model: only models generated from [SlimModel] attributes export to ONNX.", nameof(model));
        var modules = model.named_modules().ToDictionary(entry => entry.name, entry => entry.module);
        var graph = new OnnxGraph(options);
        string output = OnnxGraph.InputName;
        // Each row's ONNX output and shape, for the rows that read another row than the one before them (blocks).
        // A model of variable size is exported with a symbolic height and width; its layers see them as unknown.
        bool variable = symbolicSize && summary.MinimumInputShape is not null;
        IReadOnlyList<long> ShapeOf(IReadOnlyList<long> shape, bool symbolic) =>
            symbolic && shape.Count == 3 ? [shape[0], OnnxGraph.UnknownSize, OnnxGraph.UnknownSize] : shape;
        var values = new Dictionary<string, (string Name, IReadOnlyList<long> Shape)> { [""] = (OnnxGraph.InputName, ShapeOf(summary.InputShape, variable)) };
        using (no_grad())
        {
            IReadOnlyList<long> shape = ShapeOf(summary.InputShape, variable);
            foreach (var layer in summary.Layers)
            {
                var inputs = layer.Inputs.Count == 0 ? [(output, shape)] : layer.Inputs.Select(input => values[input]).ToList();
                output = layer.Op switch
                {
                    Op.Concat => graph.Node("Concat", layer.Scope, inputs.Select(input => input.Name), ("axis", 1L)),
                    Op.Add => graph.Activation(layer.Scope, graph.Node("Add", layer.Scope, inputs.Select(input => input.Name)), layer.Activation),
                    _ => modules.GetValueOrDefault(layer.Scope.Replace('/', '.')) is IOnnxLayer exportable
                        ? exportable.ExportOnnx(graph, layer.Scope, inputs[0].Name, inputs[0].Shape)
                        : throw new NotSupportedException($"Layer '{layer.Scope}' ({layer.Op}) of {summary.ModelName} has no ONNX export."),
                };
                shape = ShapeOf(layer.OutputShape, variable && layer.SymbolicShape is not null);
                values[layer.Scope] = (output, shape);
            }
        }
        if (output == OnnxGraph.InputName)
            output = graph.Node("Identity", "output", [output]);
        long[] inputShape = variable
            ? [OnnxGraph.Batch, summary.InputShape[0], OnnxGraph.InputHeight, OnnxGraph.InputWidth]
            : [OnnxGraph.Batch, .. summary.InputShape];
        long[] outputShape = OutputShape(model, summary);
        if (variable && summary.Layers[^1].SymbolicShape is not null && outputShape.Length == 4)
            outputShape = [outputShape[0], outputShape[1], OnnxGraph.OutputHeight, OnnxGraph.OutputWidth];
        var proto = graph.Model(summary.ModelName, inputShape, output, outputShape, summary.InputShape, variable ? summary.MinimumInputShape : null);
        return new Exported(proto, OnnxGraph.InputName, inputShape, output, outputShape);
    }

    /// <summary>
    /// The output shape with a symbolic batch: from one forward pass, since constructor parameters such as the class
    /// count change the summary's sizes.
    /// </summary>
    private static long[] OutputShape(nn.Module<Tensor, Tensor> model, ModelSummary summary)
    {
        var parameter = model.parameters().FirstOrDefault();
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        bool training = model.training;
        model.eval();
        try
        {
            var input = zeros([1, .. summary.InputShape], parameter?.dtype ?? ScalarType.Float32, parameter?.device);
            return [-1, .. model.call(input).shape.Skip(1)];
        }
        finally
        {
            model.train(training);
        }
    }
}
