using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace SlimGen.Build.Tests;

/// <summary>Paths and tools the tests use, and the checks that decide which tests can run here.</summary>
internal static class TestEnvironment
{
    public const string LibStdCxx = "libstdc++.so.6";
    public const string Gcc13Version = "GLIBCXX_3.4.32";

    /// <summary>The repository's Build folder, holding SlimGen.Native.targets.</summary>
    public static string BuildDirectory => Metadata("SlimGenBuildDirectory");

    /// <summary>TorchSharp 0.107's libLibTorchSharp.so in the NuGet cache, if restored.</summary>
    public static string? TorchSharpNative =>
        ExistingFile(NuGetPackageRoot, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The native folder of the libtorch package TorchSharp-cpu 0.107 brings, if restored.</summary>
    public static string? LibTorchNativeDirectory
    {
        get
        {
            string directory = Path.Combine(NuGetPackageRoot, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
            return Directory.Exists(directory) ? directory : null;
        }
    }

    /// <summary>An ELF file built for this process's machine, to pick matching system libraries.</summary>
    public const string ThisProcess = "/proc/self/exe";

    public static bool IsOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, tool)));

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot => Metadata("SlimGenRepositoryRoot");

    /// <summary>The NuGet global packages folder the repository restores into.</summary>
    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

    /// <summary>
    /// Runs a program and returns its exit code and its standard output and error together; <paramref name="environment"/>
    /// adds or replaces environment variables.
    /// </summary>
    public static (int ExitCode, string Output) Run(
        string program, string arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} did not finish within 5 minutes.");
        }
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The ELF file's e_machine.</summary>
    public static ushort ReadMachine(string path)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[20];
        stream.ReadExactly(header);
        return BitConverter.ToUInt16(header, 18);
    }

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");

    private static string? ExistingFile(params string[] parts)
    {
        string path = Path.Combine(parts);
        return File.Exists(path) ? path : null;
    }
}

/// <summary>A fact that runs only on Linux.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Needs Linux.";
    }
}

/// <summary>A fact that runs only on Linux with a tool such as readelf on the PATH.</summary>
public sealed class LinuxToolFactAttribute : FactAttribute
{
    public LinuxToolFactAttribute(string tool)
    {
        if (!OperatingSystem.IsLinux() || !TestEnvironment.IsOnPath(tool))
            Skip = $"Needs Linux and {tool} on the PATH.";
    }
}

/// <summary>A fact that runs only where a given file exists.</summary>
public sealed class FileFactAttribute : FactAttribute
{
    public FileFactAttribute(string path)
    {
        if (!File.Exists(path))
            Skip = $"Needs {path}.";
    }
}

/// <summary>A fact that runs only on x64 Linux with TorchSharp 0.107's native library restored.</summary>
public sealed class TorchSharpNativeFactAttribute : FactAttribute
{
    public TorchSharpNativeFactAttribute(bool needsLibTorch = false)
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Skip = "Needs x64 Linux.";
        else if (TestEnvironment.TorchSharpNative is null)
            Skip = "Needs the TorchSharp 0.107.0 package in the NuGet cache.";
        else if (needsLibTorch && TestEnvironment.LibTorchNativeDirectory is null)
            Skip = "Needs the libtorch-cpu-linux-x64 2.10.0 package in the NuGet cache.";
    }
}
