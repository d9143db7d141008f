using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace SlimGen.Benchmarks;

/// <summary>What Tests/Fixtures/bench_pytorch.py measured.</summary>
/// <param name="Version">PyTorch's version.</param>
/// <param name="Blas">The BLAS library PyTorch loaded.</param>
/// <param name="Threads">PyTorch's intra-op threads.</param>
/// <param name="VggImagesPerSecond">VGG-16 inference throughput by batch size; empty when not run.</param>
/// <param name="TrainImagesPerSecond">Fashion-MNIST training-step throughput in examples per second; null when not run.</param>
internal sealed record PyTorchResult(string Version, string Blas, int Threads, Dictionary<string, double> VggImagesPerSecond, double? TrainImagesPerSecond);

/// <summary>Runs the PyTorch side of the comparison (c) with Debian's python3-torch.</summary>
internal static class PyTorchBaseline
{
    private const string Script = "Tests/Fixtures/bench_pytorch.py";
    private const string ResultPrefix = "RESULT ";

    /// <summary>Runs the script for one workload (<c>vgg</c> or <c>train</c>) and returns its figures, or null (with a note) when PyTorch is not installed.</summary>
    public static PyTorchResult? Run(Options options, string workload)
    {
        string? script = FindScript();
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        if (script is null)
        {
            Console.WriteLine($"(c) skipped: {Script} not found above {AppContext.BaseDirectory}.");
            return null;
        }

        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "--threads", options.Threads.ToString(CultureInfo.InvariantCulture), "--workload", workload }.Concat(options.Quick ? ["--quick"] : []))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Console.WriteLine($"(c) skipped: {python} {Script} failed (exit {process.ExitCode}); it needs Debian's python3-torch. {errors.Result.Trim()}");
            return null;
        }
        return JsonSerializer.Deserialize<PyTorchResult>(line[ResultPrefix.Length..], new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
    }

    private static string? FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, Script);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
