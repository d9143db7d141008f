using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using SlimGen.Onnx;
using SlimGen.Runtime.Tests.Models;
using Xunit;
using static TorchSharp.torch;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = TorchSharp.torch.Tensor;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Exported models run in ONNX Runtime, an independent implementation, and must give the TorchSharp model's outputs
/// to 1e-4 relative, for batch sizes the export did not see, with and without batch norm folded.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-onnx-").FullName;

    public static TheoryData<string, bool> Models => new()
    {
        { nameof(EveryActivationNet), true }, { nameof(EveryActivationNet), false },
        { nameof(EveryLayerNet), true }, { nameof(EveryLayerNet), false },
        { nameof(SmallCnn), true }, { nameof(TinyVgg), true }, { nameof(AsymmetricNet), true }, { nameof(PrefixNet), true }, { nameof(WideStrideNet), true },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void OnnxRuntime_ReproducesTheModel(string name, bool foldBatchNorm)
    {
        manual_seed(17);
        using var model = Create(name);
        GiveBatchNormStatistics(model);
        model.eval();
        string path = Path.Combine(directory, name + ".onnx");

        model.ExportOnnx(path, new OnnxExportOptions { FoldBatchNorm = foldBatchNorm });

        using var session = new InferenceSession(path);
        foreach (int batch in new[] { 1, 3 })
        {
            using var input = randn([batch, .. InputShape(model)]);
            using var expected = model.call(input);
            var actual = Run(session, input);
            Assert.Equal(expected.shape, actual.Shape);
            double scale = Math.Max(expected.abs().max().item<float>(), 1e-6);
            double error = expected.data<float>().Zip(actual.Values, (e, a) => Math.Abs(e - a)).Max() / scale;
            Assert.True(error < 1e-4, $"{name} batch {batch}: relative error {error}");
        }
    }

    [Theory]
    [InlineData(nameof(Zoo.Vgg11))]
    [InlineData(nameof(Zoo.Vgg16))]
    [InlineData(nameof(Zoo.Vgg19))]
    public void OnnxRuntime_ReproducesTheZoo(string name)
    {
        manual_seed(23);
        using nn.Module<Tensor, Tensor> model = name switch
        {
            nameof(Zoo.Vgg11) => new Zoo.Vgg11(),
            nameof(Zoo.Vgg16) => new Zoo.Vgg16(),
            _ => new Zoo.Vgg19(),
        };
        model.eval();
        string path = Path.Combine(directory, name + ".onnx");

        model.ExportOnnx(path);

        using var session = new InferenceSession(path);
        using var input = randn(2, 3, 224, 224);
        using var expected = model.call(input);
        var actual = Run(session, input);
        double error = expected.data<float>().Zip(actual.Values, (e, a) => Math.Abs(e - a)).Max() / expected.abs().max().item<float>();
        Assert.True(error < 1e-4, $"{name}: relative error {error}");
    }

    [Fact]
    public void Names_AreTheScopes_AndTheBatchIsSymbolic()
    {
        using var model = new EveryLayerNet();
        string path = Path.Combine(directory, "names.onnx");

        model.ExportOnnx(path, new OnnxExportOptions { FoldBatchNorm = false });

        using var session = new InferenceSession(path);
        var input = session.InputMetadata["input"];
        Assert.Equal([-1, 3, 17, 16], input.Dimensions);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        Assert.Equal([-1, 5], session.OutputMetadata.Single().Value.Dimensions);
        Assert.Equal("3,17,16", session.ModelMetadata.CustomMetadataMap["slimgen.input_shape"]);
        Assert.Equal("SlimGen", session.ModelMetadata.ProducerName);
        var bytes = File.ReadAllBytes(path);
        foreach (string expected in new[] { "conv1/conv1_2/weights", "conv2/BatchNorm/moving_variance", "bn/gamma", "fc/fc_1/biases", "logits" })
            Assert.True(Contains(bytes, expected), $"no '{expected}' in the file");
    }

    [Fact]
    public void AModelWithTenClasses_ExportsTenOutputs()
    {
        using var model = new TinyVgg(numClasses: 7);
        string path = Path.Combine(directory, "classes.onnx");

        model.ExportOnnx(path);

        using var session = new InferenceSession(path);
        Assert.Equal([-1, 7], session.OutputMetadata.Single().Value.Dimensions);
    }

    [Fact]
    public void AFailedExport_LeavesNoFile_AndAnExistingOneUntouched()
    {
        using var model = new SmallCnn();
        string notAFolder = Path.Combine(directory, "file");
        File.WriteAllText(notAFolder, "");
        Assert.ThrowsAny<IOException>(() => model.ExportOnnx(Path.Combine(notAFolder, "model.onnx")));

        string path = Path.Combine(directory, "kept.onnx");
        File.WriteAllText(path, "previous");
        Assert.Throws<ArgumentException>(() => new NotASlimGenModel().ExportOnnx(path));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["file", "kept.onnx"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void OnnxChecker_AcceptsTheExports_WhenPythonOnnxIsInstalled()
    {
        if (!PythonOnnxIsInstalled())
            return; // apt-get install python3-onnx to run ONNX's own checker
        var paths = new List<string>();
        foreach (var (name, _) in new[] { (nameof(EveryActivationNet), 0), (nameof(EveryLayerNet), 0) })
        {
            using var model = Create(name);
            string path = Path.Combine(directory, name + ".checked.onnx");
            model.ExportOnnx(path, new OnnxExportOptions { FoldBatchNorm = false });
            paths.Add(path);
        }

        var (exitCode, output) = Python(
            "import onnx, sys\nfor path in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(path), full_check=True)\nprint('ok')",
            paths);

        Assert.True(exitCode == 0 && output.Contains("ok"), output);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        nameof(EveryActivationNet) => new EveryActivationNet(),
        nameof(EveryLayerNet) => new EveryLayerNet(),
        nameof(SmallCnn) => new SmallCnn(),
        nameof(TinyVgg) => new TinyVgg(),
        nameof(AsymmetricNet) => new AsymmetricNet(),
        nameof(PrefixNet) => new PrefixNet(),
        nameof(WideStrideNet) => new WideStrideNet(),
        _ => throw new ArgumentException(name),
    };

    private static long[] InputShape(nn.Module model) =>
        ((ModelSummary)model.GetType().GetProperty("Summary")!.GetValue(null)!).InputShape;

    /// <summary>Running statistics and affine parameters away from their initial 0/1, so that a wrong fold shows.</summary>
    private static void GiveBatchNormStatistics(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.EndsWith("running_var", StringComparison.Ordinal))
                tensor.copy_(rand_like(tensor) + 0.5);
            else if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("bn.bias", StringComparison.Ordinal) || name.EndsWith("bn.weight", StringComparison.Ordinal))
                tensor.copy_(randn_like(tensor) * 0.5 + (name.EndsWith("weight", StringComparison.Ordinal) ? 1 : 0));
        }
    }

    private static (long[] Shape, float[] Values) Run(InferenceSession session, Tensor input)
    {
        var dense = new DenseTensor(input.data<float>().ToArray(), input.shape.Select(d => (int)d).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", dense)]);
        var output = results.Single().AsTensor<float>();
        return (output.Dimensions.ToArray().Select(d => (long)d).ToArray(), output.ToArray());
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;

    private static bool PythonOnnxIsInstalled() => File.Exists("/usr/bin/python3") && Python("import onnx", []).ExitCode == 0;

    private static (int ExitCode, string Output) Python(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private sealed class NotASlimGenModel() : nn.Module<Tensor, Tensor>("NotASlimGenModel")
    {
        public override Tensor forward(Tensor input) => input;
    }
}
