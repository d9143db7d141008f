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
        { nameof(BlockLayersNet), true }, { nameof(BlockLayersNet), false },
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

        using var onnx = OnnxModel.Load(path);
        foreach (int batch in new[] { 1, 3 })
        {
            using var input = randn([batch, .. onnx.InputShape]);
            using var expected = model.call(input);
            var actual = onnx.Run(input.data<float>().ToArray(), batch);
            Assert.Equal([batch, .. onnx.OutputShape], expected.shape.AsEnumerable());
            Assert.True(RelativeError(expected, actual) < 1e-4, $"{name} batch {batch}: relative error {RelativeError(expected, actual)}");
        }
    }

    [Theory]
    [InlineData(nameof(Zoo.Vgg11))]
    [InlineData(nameof(Zoo.Vgg16))]
    [InlineData(nameof(Zoo.Vgg19))]
    [InlineData(nameof(Zoo.ResNet18))]
    [InlineData(nameof(Zoo.GoogLeNet))]
    [InlineData(nameof(Zoo.InceptionV3))]
    [InlineData(nameof(Zoo.MobileNetV2))]
    public void OnnxRuntime_ReproducesTheZoo(string name)
    {
        manual_seed(23);
        using nn.Module<Tensor, Tensor> model = name switch
        {
            nameof(Zoo.Vgg11) => new Zoo.Vgg11(),
            nameof(Zoo.Vgg16) => new Zoo.Vgg16(),
            nameof(Zoo.Vgg19) => new Zoo.Vgg19(),
            nameof(Zoo.ResNet18) => new Zoo.ResNet18(),
            nameof(Zoo.GoogLeNet) => new Zoo.GoogLeNet(),
            nameof(Zoo.InceptionV3) => new Zoo.InceptionV3(),
            _ => new Zoo.MobileNetV2(),
        };
        // Blocks: branches, concats, projection shortcuts, in-place adds, depthwise convolutions, folded batch norms.
        GiveBatchNormStatistics(model);
        model.eval();
        string path = Path.Combine(directory, name + ".onnx");

        model.ExportOnnx(path);

        using var onnx = OnnxModel.Load(path);
        using var input = randn([2, .. onnx.InputShape]);
        using var expected = model.call(input);
        var actual = onnx.Run(input.data<float>().ToArray(), batchSize: 2);
        Assert.True(RelativeError(expected, actual) < 1e-4, $"{name}: relative error {RelativeError(expected, actual)}");
    }

    [Theory]
    [InlineData(nameof(Zoo.ResNet18))]
    [InlineData(nameof(Zoo.MobileNetV2))]
    public void A_model_of_variable_size_exports_a_symbolic_height_and_width(string name)
    {
        manual_seed(29);
        using nn.Module<Tensor, Tensor> model = name == nameof(Zoo.ResNet18) ? new Zoo.ResNet18() : new Zoo.MobileNetV2();
        GiveBatchNormStatistics(model);
        model.eval();
        string path = Path.Combine(directory, name + "-variable.onnx");

        model.ExportOnnx(path);

        using (var session = new InferenceSession(path))
        {
            Assert.Equal(["N", "", "H", "W"], session.InputMetadata["input"].SymbolicDimensions);
        }
        using var onnx = OnnxModel.Load(path);
        Assert.Equal([3L, 1, 1], onnx.MinimumInputShape!);
        foreach (var (height, width) in new[] { (97, 130), (224, 224), (33, 64) })
        {
            using var input = randn(2, 3, height, width);
            using var expected = model.call(input);
            var actual = onnx.Run(input.data<float>().ToArray(), [2, 3, height, width]);
            Assert.True(RelativeError(expected, actual) < 1e-4, $"{name} at {height}x{width}: relative error {RelativeError(expected, actual)}");
        }
        Assert.Throws<ShapeMismatchException>(() => onnx.Run(new float[2 * 1 * 8 * 8], [2, 1, 8, 8]));
    }

    /// <summary>Odd sizes away from the declared 64x64, where SAME padding and the output size differ from the declared size's.</summary>
    [Theory]
    [InlineData(nameof(TopLevelStridedNet))]
    [InlineData(nameof(TopLevelHeadNet))]
    public void A_model_of_variable_size_with_top_level_strided_layers_follows_the_input_size(string name)
    {
        manual_seed(31);
        using var model = Create(name);
        model.eval();
        string path = Path.Combine(directory, name + "-variable.onnx");

        model.ExportOnnx(path);

        using var onnx = OnnxModel.Load(path);
        foreach (var (height, width) in new[] { (37, 45), (33, 50), (19, 23), (64, 64) })
        {
            using var input = randn(2, 3, height, width);
            using var expected = model.call(input);
            var actual = onnx.Run(input.data<float>().ToArray(), [2, 3, height, width]);
            Assert.Equal(expected.numel(), actual.Length);
            Assert.True(RelativeError(expected, actual) < 1e-4, $"{name} at {height}x{width}: relative error {RelativeError(expected, actual)}");
        }
        using var session = new InferenceSession(path);
        var output = session.OutputMetadata.Single().Value;
        Assert.Equal(output.Dimensions.Length == 4 ? ["N", "", "H_out", "W_out"] : ["N", ""], output.SymbolicDimensions);
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
    public void BatchNormWithoutScale_ExportsUnitGamma_AndDepthwiseAGroupedConv()
    {
        using var model = new BlockLayersNet();
        string path = Path.Combine(directory, "blocks.onnx");

        model.ExportOnnx(path, new OnnxExportOptions { FoldBatchNorm = false });

        var bytes = File.ReadAllBytes(path);
        foreach (string expected in new[] { "conv2/BatchNorm/unit_gamma", "bn/unit_gamma", "depthwise/BatchNorm/gamma", "group", "dilations", "GlobalAveragePool" })
            Assert.True(Contains(bytes, expected), $"no '{expected}' in the file");
        Assert.False(Contains(bytes, "bn/gamma"));
    }

    [Fact]
    public void AModelWithTenClasses_ExportsTenOutputs()
    {
        using var model = new TinyVgg(numClasses: 7);
        string path = Path.Combine(directory, "classes.onnx");

        model.ExportOnnx(path);

        using var onnx = OnnxModel.Load(path);
        Assert.Equal([7L], onnx.OutputShape);
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

    [PythonOnnxFact]
    public void OnnxChecker_AcceptsTheExports()
    {
        var paths = new List<string>();
        foreach (var (name, _) in new[] { (nameof(EveryActivationNet), 0), (nameof(EveryLayerNet), 0), (nameof(BlockLayersNet), 0) })
        {
            using var model = Create(name);
            string path = Path.Combine(directory, name + ".checked.onnx");
            model.ExportOnnx(path, new OnnxExportOptions { FoldBatchNorm = false });
            paths.Add(path);
        }

        var (exitCode, output) = PythonOnnxFactAttribute.Python([CheckScript, .. paths]);

        Assert.True(exitCode == 0, output);
        Assert.Equal(paths.Count, output.Split('\n').Count(line => line.EndsWith(": ok (opset 17)", StringComparison.Ordinal)));
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
        nameof(BlockLayersNet) => new BlockLayersNet(),
        nameof(TopLevelStridedNet) => new TopLevelStridedNet(),
        nameof(TopLevelHeadNet) => new TopLevelHeadNet(),
        _ => throw new ArgumentException(name),
    };

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

    /// <summary>The largest difference relative to the largest expected value (its floor keeps an all-zero output checkable).</summary>
    private static double RelativeError(Tensor expected, float[] actual) =>
        expected.data<float>().Zip(actual, (e, a) => Math.Abs(e - a)).Max() / Math.Max(expected.abs().max().item<float>(), 1e-6);

    /// <summary>Tests/Fixtures/check_onnx.py, the checker the documentation's command runs on the zoo.</summary>
    private static string CheckScript
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(directory.FullName, "SlimGen.sln")))
                directory = directory.Parent ?? throw new InvalidOperationException("The tests run outside the SlimGen repository.");
            return Path.Combine(directory.FullName, "Tests", "Fixtures", "check_onnx.py");
        }
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;

    private sealed class NotASlimGenModel() : nn.Module<Tensor, Tensor>("NotASlimGenModel")
    {
        public override Tensor forward(Tensor input) => input;
    }
}

/// <summary>A fact that runs where Debian's python3-onnx is installed (apt-get install python3-onnx), and is skipped elsewhere.</summary>
public sealed class PythonOnnxFactAttribute : FactAttribute
{
    public PythonOnnxFactAttribute()
    {
        if (!File.Exists("/usr/bin/python3") || Python(["-c", "import onnx"]).ExitCode != 0)
            Skip = "Needs ONNX's Python package: apt-get install python3-onnx.";
    }

    /// <summary>Runs Debian's Python with <paramref name="arguments"/>; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Python(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + errors.Result);
    }
}
