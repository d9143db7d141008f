using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
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
    /// <summary>Adds the layer's nodes and initializers, named after <paramref name="scope"/>; returns its output's name.</summary>
    string ExportOnnx(OnnxGraph graph, string scope, string input);
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
        var proto = Build(model, options ?? new OnnxExportOptions());
        AtomicFile.Write(path, proto.WriteTo);
    }

    /// <summary>The ONNX model as bytes, for callers that store it elsewhere.</summary>
    public static byte[] ToOnnx(this nn.Module<Tensor, Tensor> model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Build(model, options ?? new OnnxExportOptions()).ToArray();
    }

    private static ProtoWriter Build(nn.Module<Tensor, Tensor> model, OnnxExportOptions options)
    {
        var summary = model.GetType().GetProperty("Summary", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ModelSummary
            ?? throw new ArgumentException(
                $"{model.GetType().Name} is not a SlimGen model: only models generated from [SlimModel] attributes export to ONNX.", nameof(model));
        var modules = model.named_modules().ToDictionary(entry => entry.name, entry => entry.module);
        var graph = new OnnxGraph(options);
        string output = "input";
        using (no_grad())
        {
            foreach (var layer in summary.Layers)
            {
                var module = modules.GetValueOrDefault(layer.Scope.Replace('/', '.'));
                if (module is not IOnnxLayer exportable)
                    throw new NotSupportedException($"Layer '{layer.Scope}' ({layer.Op}) of {summary.ModelName} has no ONNX export.");
                output = exportable.ExportOnnx(graph, layer.Scope, output);
            }
        }
        if (output == "input")
            output = graph.Node("Identity", "output", [output]);
        return graph.Model(summary.ModelName, [-1, .. summary.InputShape], "input", output, OutputShape(model, summary));
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
