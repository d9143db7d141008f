using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Benchmarks;

/// <summary>What one child process measured.</summary>
/// <param name="Workload"><c>vgg</c>, <c>infer</c> (the Fashion-MNIST CNN) or <c>train</c>.</param>
/// <param name="Implementation">The side that ran (see <see cref="Implementations"/>).</param>
/// <param name="Batch">Examples per pass or step.</param>
/// <param name="OnWorkerThread">Whether the work ran on a thread-pool thread rather than the process's main thread.</param>
/// <param name="Allocator">What SlimGen's runtime did to the allocator, or "untouched" when the process never initialized it.</param>
/// <param name="ExamplesPerSecond">Median throughput.</param>
/// <param name="PageFaultsPerRun">Minor page faults per timed pass or step.</param>
/// <param name="UserSecondsPerRun">User-mode CPU seconds per timed pass or step, all threads together.</param>
/// <param name="KernelSecondsPerRun">Kernel CPU seconds per timed pass or step, all threads together: mostly page faults.</param>
/// <param name="PeakRssMiB">Peak resident set of the whole process.</param>
/// <param name="RssAfterMiB">Resident set once the work is over and the model and its tensors are disposed.</param>
/// <param name="RssReleasedMiB">Resident set after that, once <see cref="SlimRuntime.ReleaseFreeMemory"/> has run.</param>
/// <param name="LoadAverage">The machine's one-minute load average at the end.</param>
/// <param name="Convolutions">What SlimGen's convolution check found and put in force, or "untouched".</param>
internal sealed record ChildResult(
    string Workload, string Implementation, int Batch, bool OnWorkerThread, string Allocator, double ExamplesPerSecond, long PageFaultsPerRun,
    double UserSecondsPerRun, double KernelSecondsPerRun, double PeakRssMiB,
    double RssAfterMiB, double RssReleasedMiB, double LoadAverage, string Convolutions);

/// <summary>
/// One workload in a process of its own, so that each side runs in its default configuration: the SlimGen side with the
/// runtime's allocator policy, the hand-written side with TorchSharp's defaults (it never touches SlimGen's runtime).
/// </summary>
internal static class Child
{
    public const string Command = "child";
    private const string ResultPrefix = "RESULT ";
    private const string Worker = "worker";

    /// <summary>How the parent asks for a child's allocator: each side's default, or the opposite.</summary>
    public enum AllocatorChoice
    {
        /// <summary>SlimGen with its policy; the hand-written side untouched.</summary>
        Default,

        /// <summary>SlimGen with the policy off; the hand-written side with SlimGen's runtime initialized first.</summary>
        Swapped,
    }

    /// <summary>Runs <c>child workload implementation batch choice [worker]</c> and prints its <see cref="ChildResult"/>.</summary>
    public static void Run(Options options)
    {
        var (workload, implementation) = (options.Rest[0], options.Rest[1]);
        int batch = int.Parse(options.Rest[2], CultureInfo.InvariantCulture);
        var choice = Enum.Parse<AllocatorChoice>(options.Rest[3]);
        bool onWorkerThread = options.Rest.Count > 4 && options.Rest[4] == Worker;
        bool slimGenSide = implementation is Implementations.SlimGen or Implementations.TailChannels;
        if (slimGenSide && choice == AllocatorChoice.Swapped)
            SlimRuntime.AllocatorPolicy = AllocatorPolicy.Off;
        if (slimGenSide || choice == AllocatorChoice.Swapped)
            SlimRuntime.Initialize();
        torch.set_num_threads(options.Threads);

        Func<Timing> work = workload switch
        {
            "vgg" or "infer" => () => TimeInference(implementation, batch, options.Quick),
            "train" => () => TimeTraining(implementation, batch, options.Quick),
            _ => throw new ArgumentException($"Unknown workload '{workload}'."),
        };
        // glibc gives threads other than the main one their own arenas, which serve blocks above 64 MB by mmap whatever
        // the allocator settings: a worker thread shows what an application that runs models off the main thread gets.
        var timing = onWorkerThread ? Task.Run(work).GetAwaiter().GetResult() : work();
        var (peak, after) = Measure.ResidentSet();
        // glibc's malloc_trim only: it does not initialize SlimGen's runtime on the untouched side.
        SlimRuntime.ReleaseFreeMemory();
        var (_, released) = Measure.ResidentSet();
        var result = new ChildResult(
            workload, implementation, batch, onWorkerThread, SlimRuntime.Allocator?.ToString() ?? "untouched", batch / timing.Seconds,
            timing.PageFaults, timing.UserSeconds, timing.KernelSeconds, peak, after, released, Measure.LoadAverage(),
            SlimRuntime.Convolutions?.ToString() ?? "untouched");
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
    }

    /// <summary>
    /// Starts this program as a child for one workload and returns what it measured; <paramref name="convolutions"/>
    /// sets the child's SLIMGEN_CONVOLUTION_POLICY (the runtime's default when null).
    /// </summary>
    public static ChildResult Start(
        Options options, string workload, string implementation, int batch, AllocatorChoice choice, bool onWorkerThread = false,
        ConvolutionPolicy? convolutions = null)
    {
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Started as `dotnet SlimGen.Benchmarks.dll`: the host needs the program's path.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(Child).Assembly.Location);
        foreach (var argument in options.ToArguments().Concat([Command, workload, implementation, batch.ToString(CultureInfo.InvariantCulture), choice.ToString()]))
            start.ArgumentList.Add(argument);
        if (onWorkerThread)
            start.ArgumentList.Add(Worker);
        // The parent's own environment must not decide for the child.
        start.Environment.Remove("SLIMGEN_ALLOCATOR_POLICY");
        start.Environment.Remove("SLIMGEN_CONVOLUTION_POLICY");
        if (convolutions is not null)
            start.Environment["SLIMGEN_CONVOLUTION_POLICY"] = convolutions.ToString()!.ToLowerInvariant();

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"The child for {workload} {implementation} {batch} {choice} failed (exit {process.ExitCode}):\n{output}");
        return JsonSerializer.Deserialize<ChildResult>(line[ResultPrefix.Length..])!;
    }

    private static Timing TimeInference(string implementation, int batch, bool quick)
    {
        using var guard = inference_mode();
        using var inference = new Inference(implementation, batch);
        // The Fashion-MNIST CNN takes about a millisecond a pass: many more of them for a stable median.
        int runs = implementation == Implementations.FashionMnist ? 400 : batch == 1 ? 15 : 6;
        return Time(inference.Run, warmUp: implementation == Implementations.FashionMnist ? 50 : 2, runs: quick ? Math.Max(2, runs / 8) : runs);
    }

    private static Timing TimeTraining(string implementation, int batch, bool quick)
    {
        using var step = new TrainingStep(implementation, batch);
        return Time(() => step.Run(), warmUp: 5, runs: quick ? 5 : 40);
    }

    /// <summary>The median wall time and the mean counters of <paramref name="runs"/> runs after <paramref name="warmUp"/> unmeasured ones.</summary>
    private static Timing Time(Action run, int warmUp, int runs)
    {
        for (int i = 0; i < warmUp; i++)
            run();
        var before = Measure.ProcessCounters();
        var seconds = Enumerable.Range(0, runs).Select(_ => Measure.Seconds(run)).ToList();
        var after = Measure.ProcessCounters();
        return new Timing(
            Measure.Median(seconds), (after.MinorPageFaults - before.MinorPageFaults) / runs,
            (after.UserSeconds - before.UserSeconds) / runs, (after.KernelSeconds - before.KernelSeconds) / runs);
    }

    private sealed record Timing(double Seconds, long PageFaults, double UserSeconds, double KernelSeconds);
}
