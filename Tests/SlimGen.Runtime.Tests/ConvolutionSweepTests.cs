using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Runs Tests/SlimGen.ConvolutionSweep (5,128 convolutions: channel counts 1-40, kernels 1/3/5, strides 1/2, batches
/// 1/2/8; output and both gradients against float64) in child processes: with this CPU's own instruction set, and
/// capped to AVX2 as on AMD Zen 3 and older Intel CPUs, so that both oneDNN block sizes are covered on any machine.
/// </summary>
public class ConvolutionSweepTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(null)]
    [InlineData("AVX2")]
    public async Task SlimGenConvolutions_MatchFloat64_OnEveryChannelCount(string? instructionSet)
    {
        var start = new ProcessStartInfo("dotnet", [SweepProgram])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (instructionSet is not null)
            start.Environment["ONEDNN_MAX_CPU_ISA"] = instructionSet;
        start.Environment.Remove("SLIMGEN_CONVOLUTION_POLICY");

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        string text = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        text += await errors;
        output.WriteLine(text);

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{text}");
        Assert.Contains("SlimGen wrong in 0,", text);
    }

    private static string SweepProgram
    {
        get
        {
            string path = typeof(ConvolutionSweepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(attribute => attribute.Key == "ConvolutionSweepProgram").Value!;
            Assert.True(File.Exists(path), $"{path} is missing: build the solution first");
            return path;
        }
    }
}
