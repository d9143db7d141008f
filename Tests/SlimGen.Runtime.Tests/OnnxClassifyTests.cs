using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using SlimGen.Data;
using SlimGen.FashionMnistSample;
using SlimGen.Onnx;
using SlimGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Train in C#, export, classify elsewhere: the Fashion-MNIST sample's model, exported, classifies the embedded test
/// images in Samples/OnnxClassify (ONNX Runtime, no TorchSharp in that process) with the accuracy the TorchSharp
/// model has on them.
/// </summary>
public sealed class OnnxClassifyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-classify-").FullName;

    [Fact]
    public void The_exported_model_has_the_same_accuracy_in_OnnxClassify_as_in_TorchSharp()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "Data", "FashionMnist");
        using var train = FashionMnist.Load(data, DatasetSplit.Train);
        using var test = FashionMnist.Load(data, DatasetSplit.Test);
        manual_seed(31);
        using var model = new TutorialCnn();
        using (var optimizer = optim.Adam(model.parameters()))
        {
            // A few steps, so that the classes are not a coin toss.
            var trainer = new Trainer(model, optimizer, Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss, new TrainerOptions { BatchSize = 64, Seed = 31 });
            trainer.Train(train, epochs: 1, progress: null);
        }
        double expected = Evaluator.Evaluate(model, test).Accuracy;
        string path = Path.Combine(directory, "model.onnx");
        model.ExportOnnx(path);

        var start = new ProcessStartInfo("dotnet", [Program, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), output);

        Assert.Equal(0, process.ExitCode);
        var accuracy = Regex.Match(output, @"accuracy (\d\.\d{4}) on 400 test images");
        Assert.True(accuracy.Success, output);
        Assert.Equal(expected.ToString("0.0000", CultureInfo.InvariantCulture), accuracy.Groups[1].Value);
        Assert.True(expected > 0.5, $"after one epoch the model should beat chance clearly: {expected}");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Program => typeof(OnnxClassifyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "OnnxClassifyProgram").Value!;
}
