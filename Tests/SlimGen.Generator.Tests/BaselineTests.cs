using System;
using System.IO;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// The generated code, compared with checked-in files. After an intended change, refresh them with
/// <c>SLIMGEN_UPDATE_BASELINES=1 dotnet test Tests/SlimGen.Generator.Tests</c> and review the diff.
/// </summary>
public class BaselineTests
{
    [Theory]
    [InlineData("ZooVgg", "Baseline.Zoo.Vgg16.g.cs")]
    [InlineData("ZooVgg", "Baseline.Zoo.Vgg11.g.cs")]
    [InlineData("SmallNet", "Demo.Models.Outer.SmallNet.g.cs")]
    [InlineData("Mlp", "Mlp.g.cs")]
    [InlineData("ZooResNet", "Baseline.Zoo.Bottleneck.g.cs")]
    [InlineData("ZooResNet", "Baseline.Zoo.ResNet50.g.cs")]
    [InlineData("ZooGoogLeNet", "Baseline.Zoo.InceptionModule.g.cs")]
    [InlineData("ZooMobileNet", "Baseline.Zoo.InvertedResidual.g.cs")]
    public void Generated_code_matches_baseline(string model, string hintName) => AssertMatchesBaseline(Source(model), hintName);

    /// <summary>The file generated for <paramref name="source"/> compiles without a warning and is its baseline.</summary>
    internal static void AssertMatchesBaseline(string source, string hintName)
    {
        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(GeneratorHarness.Problems(output));
        // The version in [GeneratedCode] changes with every release; the baselines pin everything else.
        var actual = GeneratorHarness.Generated(result, hintName).Replace(
            $"GeneratedCode(\"SlimGen.Generator\", \"{Emit.ModelFileWriter.GeneratorVersion}\")", "GeneratedCode(\"SlimGen.Generator\", \"(version)\")");
        var path = Path.Combine(TestModels.BaselineDirectory(), hintName);
        if (Environment.GetEnvironmentVariable("SLIMGEN_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(path, actual);
        }
        Assert.True(File.Exists(path), $"No baseline {path}; run with SLIMGEN_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    internal static string Source(string model) => model switch
    {
        "ZooVgg" => TestModels.ZooVgg,
        "SmallNet" => TestModels.SmallNet,
        "Mlp" => TestModels.Mlp,
        "ZooResNet" => TestModels.Zoo("ResNet.cs"),
        "ZooGoogLeNet" => TestModels.Zoo("GoogLeNet.cs"),
        "ZooMobileNet" => TestModels.Zoo("MobileNet.cs"),
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };
}
