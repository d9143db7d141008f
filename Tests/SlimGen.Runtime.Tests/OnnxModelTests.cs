using System;
using System.IO;
using System.Linq;
using SlimGen.Onnx;
using SlimGen.Runtime.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>SlimGen.Onnx: exported models loaded and run without TorchSharp's help, input checked as ShapeGuard does.</summary>
public sealed class OnnxModelTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-onnxmodel-").FullName;

    [Fact]
    public void Run_and_Classify_agree_with_the_TorchSharp_model()
    {
        manual_seed(29);
        using var model = new SmallCnn();
        model.eval();
        string path = Path.Combine(directory, "small.onnx");
        model.ExportOnnx(path);
        using var input = randn(4, 1, 8, 8);
        using var expected = model.call(input);

        using var onnx = OnnxModel.Load(path);
        var outputs = onnx.Run(input.data<float>().ToArray(), batchSize: 4);
        var classes = onnx.Classify(input.data<float>().ToArray(), batchSize: 4);

        Assert.Equal("SmallCnn", onnx.Name);
        Assert.Equal([1L, 8, 8], onnx.InputShape);
        Assert.Equal([5L], onnx.OutputShape);
        Assert.True(expected.data<float>().Zip(outputs, (e, a) => Math.Abs(e - a)).Max() < 1e-4 * expected.abs().max().item<float>());
        Assert.Equal(expected.argmax(1).data<long>().Select(c => (int)c), classes);
    }

    [Fact]
    public void A_batch_of_the_wrong_shape_gets_the_runtimes_ShapeMismatchException()
    {
        using var model = new SmallCnn();
        string path = Path.Combine(directory, "shape.onnx");
        model.ExportOnnx(path);
        using var onnx = OnnxModel.Load(path);

        var error = Assert.Throws<ShapeMismatchException>(() => onnx.Run(new float[2 * 3 * 8 * 8], [2, 3, 8, 8]));
        var length = Assert.Throws<ArgumentException>(() => onnx.Run(new float[100], batchSize: 2));

        Assert.Equal("SmallCnn expects input of shape [N, 1, 8, 8] but got [2, 3, 8, 8].", error.Message);
        Assert.StartsWith("A batch of shape [2, 1, 8, 8] holds 128 values, but inputs has 100.", length.Message);
    }

    [Fact]
    public void Files_that_are_not_SlimGen_exports_are_refused_with_the_remedy()
    {
        string garbage = Path.Combine(directory, "garbage.onnx");
        File.WriteAllText(garbage, "not a model");

        Assert.Contains("model.ExportOnnx(path)", Assert.Throws<FileNotFoundException>(() => OnnxModel.Load(Path.Combine(directory, "missing.onnx"))).Message);
        Assert.Contains("is not a model ONNX Runtime can load", Assert.Throws<InvalidDataException>(() => OnnxModel.Load(garbage)).Message);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
