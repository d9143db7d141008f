using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using SlimGen.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Benchmarks;

/// <summary>Runs the benchmarks and prints their results as Markdown, ratios computed within the run.</summary>
internal static class Report
{
    private const int TrainingBatch = 64;
    private static readonly int[] VggBatches = [1, 8];
    private const int ZooTrainingBatch = 16;
    private static readonly int[] ZooBatches = [1, 8];

    public static void Header(Options options)
    {
        Console.WriteLine($"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, intra-op threads {get_num_threads()}, inter-op threads {get_num_interop_threads()}");
        Console.WriteLine($"SlimGen allocator in this process: {SlimRuntime.Allocator}");
        Console.WriteLine($"Load average at start: {Measure.LoadAverage():0.00}{(options.Quick ? " (quick run: not for the record)" : "")}");
        Console.WriteLine();
    }

    /// <summary>(a) and (b): generated against hand-written code in one process, interleaved.</summary>
    public static void Compare(Options options)
    {
        Console.WriteLine("### (a) VGG-16 inference, 224x224, one process, interleaved rounds");
        Console.WriteLine();
        Console.WriteLine("| Batch | SlimGen images/s | TorchVision.NET images/s | SlimGen / TorchVision (medians) | median of round ratios | rounds |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        using (inference_mode())
        {
            foreach (int batch in VggBatches)
            {
                using var slimGen = new Inference(Implementations.SlimGen, batch);
                using var torchVision = new Inference(Implementations.TorchVision, batch);
                int rounds = options.Quick ? 3 : batch == 1 ? 21 : 9;
                WarmUp(2, slimGen.Run, torchVision.Run);
                var (a, b) = Measure.Interleaved(rounds, slimGen.Run, torchVision.Run);
                PrintRatioRow(batch.ToString(), batch, a, b, rounds);
            }
        }
        Console.WriteLine();

        Console.WriteLine($"### (b) Fashion-MNIST CNN, one Adam training step at batch {TrainingBatch}, one process, interleaved rounds");
        Console.WriteLine();
        Console.WriteLine("| Batch | SlimGen steps/s | hand-written steps/s | SlimGen / hand-written (medians) | median of round ratios | rounds |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        {
            using var slimGen = new TrainingStep(Implementations.SlimGen, TrainingBatch);
            using var handWritten = new TrainingStep(Implementations.HandWritten, TrainingBatch);
            const int StepsPerRound = 5;
            int rounds = options.Quick ? 3 : 25;
            WarmUp(10, () => slimGen.Run(), () => handWritten.Run());
            var (a, b) = Measure.Interleaved(rounds, () => Repeat(StepsPerRound, slimGen), () => Repeat(StepsPerRound, handWritten));
            PrintRatioRow(TrainingBatch.ToString(), StepsPerRound, a, b, rounds);
        }
        Console.WriteLine();

        static void Repeat(int steps, TrainingStep step)
        {
            for (int i = 0; i < steps; i++)
                step.Run();
        }
    }

    /// <summary>
    /// (i) The zoo's ResNet-50, GoogLeNet and MobileNet V2 against TorchVision.NET's hand-written ones, one process,
    /// interleaved in alternating order: inference (no_grad, eval mode) with SlimGen's model as generated and with its
    /// batch norms folded (<c>FoldBatchNorm</c>), and an SGD training step. Times, not rates: the target is a SlimGen /
    /// TorchVision.NET time ratio of at most 1.
    /// </summary>
    public static void Zoo(Options options)
    {
        Console.WriteLine("### (i) Zoo models against TorchVision.NET, 224x224, one process, interleaved rounds");
        Console.WriteLine();
        Console.WriteLine("Inference under no_grad in eval mode. Median milliseconds per batch; ratios are of the median times " +
                          "(at most 1.00 meets the target); the round column is the median of the per-round SlimGen / TorchVision.NET ratios.");
        Console.WriteLine();
        Console.WriteLine("| Model | Batch | SlimGen ms | SlimGen folded ms | TorchVision.NET ms | SlimGen / TV | folded / TV | folded / SlimGen | SlimGen / TV per round | rounds |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        using (no_grad())
        {
            foreach (var architecture in ZooModels.Architectures)
            {
                foreach (int batch in ZooBatches)
                {
                    using var slimGen = new Inference(ZooModels.Create(architecture, Implementations.SlimGen), batch);
                    using var folded = new Inference(ZooModels.Create(architecture, Implementations.SlimGen), batch);
                    folded.Model.FoldBatchNorm();
                    using var torchVision = new Inference(ZooModels.Create(architecture, Implementations.TorchVision), batch);
                    int rounds = options.Quick ? 3 : batch == 1 ? 15 : 7;
                    WarmUp(2, slimGen.Run, folded.Run, torchVision.Run);
                    var times = Measure.Interleaved(rounds, slimGen.Run, folded.Run, torchVision.Run);
                    double slimGenTime = Measure.Median(times[0]), foldedTime = Measure.Median(times[1]), torchVisionTime = Measure.Median(times[2]);
                    Console.WriteLine($"| {architecture} | {batch} | {slimGenTime * 1000:0.0} | {foldedTime * 1000:0.0} | {torchVisionTime * 1000:0.0} | " +
                                      $"{slimGenTime / torchVisionTime:0.000} | {foldedTime / torchVisionTime:0.000} | {foldedTime / slimGenTime:0.000} | " +
                                      $"{RoundRatio(times[0], times[2]):0.000} | {rounds} |");
                }
            }
        }
        Console.WriteLine();

        int trainingRounds = options.Quick ? 2 : 5;
        Console.WriteLine($"Training: one SGD step (momentum 0.9) at batch {ZooTrainingBatch}, cross-entropy over 1000 classes, train mode, " +
                          $"in one dispose scope; {trainingRounds} rounds of one step each after one warm-up step per side (a ResNet-50 step " +
                          "takes seconds on 2 cores, so fewer rounds than the inference rows).");
        Console.WriteLine();
        Console.WriteLine("| Model | Batch | SlimGen ms | TorchVision.NET ms | SlimGen / TV | SlimGen / TV per round | rounds |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var architecture in ZooModels.Architectures)
        {
            using var slimGen = new TrainingStep(ZooModels.Create(architecture, Implementations.SlimGen), ZooTrainingBatch, Sgd, classes: 1000);
            using var torchVision = new TrainingStep(ZooModels.Create(architecture, Implementations.TorchVision), ZooTrainingBatch, Sgd, classes: 1000);
            WarmUp(1, () => slimGen.Run(), () => torchVision.Run());
            var (a, b) = Measure.Interleaved(trainingRounds, () => slimGen.Run(), () => torchVision.Run());
            double slimGenTime = Measure.Median(a), torchVisionTime = Measure.Median(b);
            Console.WriteLine($"| {architecture} | {ZooTrainingBatch} | {slimGenTime * 1000:0} | {torchVisionTime * 1000:0} | " +
                              $"{slimGenTime / torchVisionTime:0.000} | {RoundRatio(a, b):0.000} | {trainingRounds} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Load average at the end: {Measure.LoadAverage():0.00}");
        Console.WriteLine();

        static optim.Optimizer Sgd(IEnumerable<TorchSharp.Modules.Parameter> parameters) => optim.SGD(parameters, learningRate: 0.01, momentum: 0.9);
        static double RoundRatio(double[] times, double[] reference) => Measure.Median(times.Zip(reference, (t, r) => t / r));
    }

    /// <summary>(e) and the allocator policy: one process per side and configuration.</summary>
    public static void Processes(Options options)
    {
        Console.WriteLine("### Separate processes: throughput and memory, each side in its default configuration and swapped");
        Console.WriteLine();
        Console.WriteLine("Default: SlimGen applies its allocator policy, the hand-written side never touches SlimGen's runtime. " +
                          "Swapped: SlimGen with SLIMGEN_ALLOCATOR_POLICY off, the hand-written side with SlimRuntime.Initialize() first. " +
                          "Medians of the repeats; RSS after: once the model and its tensors are disposed; released: after that, once " +
                          "SlimRuntime.ReleaseFreeMemory() (malloc_trim) has run; load is the one-minute load average at the end of each child.");
        Console.WriteLine();
        Console.WriteLine("| Workload | Batch | Implementation | Allocator | examples/s | page faults per run | CPU s per run: user + kernel | peak RSS MiB | RSS after MiB | released MiB | load |");
        Console.WriteLine("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var processResults = new List<ChildResult>();
        var runs = VggBatches.Select(batch => ("vgg", batch, Implementations.TorchVision))
            .Append(("train", TrainingBatch, Implementations.HandWritten));
        int repeats = options.Quick ? 1 : 2;
        foreach (var (workload, batch, handWritten) in runs)
        {
            (string Implementation, Child.AllocatorChoice Choice)[] configurations =
            [
                (handWritten, Child.AllocatorChoice.Default), (Implementations.SlimGen, Child.AllocatorChoice.Default),
                (Implementations.SlimGen, Child.AllocatorChoice.Swapped), (handWritten, Child.AllocatorChoice.Swapped),
            ];
            var results = configurations.ToDictionary(configuration => configuration, _ => new List<ChildResult>());
            // Interleaved, in alternating order, so that a change in load hits every configuration alike.
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                foreach (var configuration in repeat % 2 == 0 ? configurations : configurations.Reverse())
                    results[configuration].Add(Child.Start(options, workload, configuration.Implementation, batch, configuration.Choice));
            }
            foreach (var configuration in configurations)
            {
                var median = Median(results[configuration]);
                processResults.Add(median);
                PrintProcessRow(workload, median);
            }
        }
        foreach (var implementation in new[] { Implementations.TorchVision, Implementations.SlimGen })
        {
            PrintProcessRow("vgg, on a worker thread", Child.Start(options, "vgg", implementation, VggBatches[^1], Child.AllocatorChoice.Default, onWorkerThread: true));
        }
        Console.WriteLine();

        Console.WriteLine("| Target (separate processes) | Ratio |");
        Console.WriteLine("| --- | ---: |");
        foreach (int batch in VggBatches)
        {
            Target($"VGG-16 batch {batch}: SlimGen default / TorchVision.NET default",
                Rate("vgg", batch, Implementations.SlimGen, tuned: true) / Rate("vgg", batch, Implementations.TorchVision, tuned: false));
            Target($"VGG-16 batch {batch}: SlimGen policy on / off",
                Rate("vgg", batch, Implementations.SlimGen, tuned: true) / Rate("vgg", batch, Implementations.SlimGen, tuned: false));
        }
        Target("Fashion-MNIST step: SlimGen policy on / off",
            Rate("train", TrainingBatch, Implementations.SlimGen, tuned: true) / Rate("train", TrainingBatch, Implementations.SlimGen, tuned: false));
        Target("Fashion-MNIST step: SlimGen default / hand-written default",
            Rate("train", TrainingBatch, Implementations.SlimGen, tuned: true) / Rate("train", TrainingBatch, Implementations.HandWritten, tuned: false));
        Console.WriteLine();

        double Rate(string workload, int batch, string implementation, bool tuned) =>
            processResults.Single(r => r.Workload == workload && r.Batch == batch && r.Implementation == implementation && IsTuned(r) == tuned)
                .ExamplesPerSecond;
        static void Target(string name, double ratio) => Console.WriteLine($"| {name} | {ratio:0.00}x |");
    }

    /// <summary>
    /// (f) The convolution workaround (docs/PLATFORM.md): each workload in one process per policy, interleaved in
    /// alternating order. Off runs libtorch as it is; Checked is the default (the check at start-up, padding only where
    /// it finds a defect); AlwaysPad pads every tail-channel layer, which is what a CPU with the defect runs.
    /// </summary>
    public static void Convolutions(Options options)
    {
        ConvolutionPolicy[] policies = [ConvolutionPolicy.Off, ConvolutionPolicy.Checked, ConvolutionPolicy.AlwaysPad];
        (string Workload, string Implementation, int Batch)[] runs =
        [
            ("vgg", Implementations.SlimGen, 1), ("vgg", Implementations.SlimGen, 8),
            ("train", Implementations.SlimGen, TrainingBatch), ("train", Implementations.TailChannels, 16),
        ];
        int repeats = options.Quick ? 1 : 3;
        Console.WriteLine("### (f) Convolution workaround: one process per policy, interleaved in alternating order");
        Console.WriteLine();
        Console.WriteLine($"This CPU: {Child.Start(options, "train", Implementations.SlimGen, TrainingBatch, Child.AllocatorChoice.Default).Convolutions}. " +
                          $"Medians of {repeats} processes per cell; the ratios are against Off.");
        Console.WriteLine();
        Console.WriteLine("| Workload | Batch | Off examples/s | Checked examples/s | AlwaysPad examples/s | Checked / Off | AlwaysPad / Off | load |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (workload, implementation, batch) in runs)
        {
            var results = policies.ToDictionary(policy => policy, _ => new List<ChildResult>());
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                foreach (var policy in repeat % 2 == 0 ? policies : policies.Reverse())
                    results[policy].Add(Child.Start(options, workload, implementation, batch, Child.AllocatorChoice.Default, convolutions: policy));
            }
            var rate = policies.ToDictionary(policy => policy, policy => Measure.Median(results[policy].Select(r => r.ExamplesPerSecond)));
            string label = implementation == Implementations.TailChannels ? "tail-channel CNN step (56x56)" : workload == "vgg" ? "VGG-16 inference" : "Fashion-MNIST step";
            Console.WriteLine($"| {label} | {batch} | {rate[ConvolutionPolicy.Off]:0.00} | {rate[ConvolutionPolicy.Checked]:0.00} | " +
                              $"{rate[ConvolutionPolicy.AlwaysPad]:0.00} | {rate[ConvolutionPolicy.Checked] / rate[ConvolutionPolicy.Off]:0.000}x | " +
                              $"{rate[ConvolutionPolicy.AlwaysPad] / rate[ConvolutionPolicy.Off]:0.000}x | " +
                              $"{Measure.Median(results.Values.SelectMany(r => r).Select(r => r.LoadAverage)):0.0} |");
        }
        Console.WriteLine();
    }

    /// <summary>
    /// (c): Tests/Fixtures/bench_pytorch.py, each workload between two SlimGen runs of it (separate processes, each side
    /// in its default configuration), so that both sides see the same load; SlimGen's figure is the mean of the two.
    /// </summary>
    public static void PyTorch(Options options)
    {
        var rows = new List<string>();
        PyTorchResult? pytorch = null;
        foreach (var (name, workload, batches) in new[] { ("VGG-16 inference", "vgg", VggBatches), ("Fashion-MNIST training step", "train", [TrainingBatch]) })
        {
            var before = batches.Select(batch => Child.Start(options, workload, Implementations.SlimGen, batch, Child.AllocatorChoice.Default)).ToList();
            pytorch = PyTorchBaseline.Run(options, workload);
            if (pytorch is null)
                return;
            var after = batches.Select(batch => Child.Start(options, workload, Implementations.SlimGen, batch, Child.AllocatorChoice.Default)).ToList();
            for (int i = 0; i < batches.Length; i++)
            {
                double slimGen = (before[i].ExamplesPerSecond + after[i].ExamplesPerSecond) / 2;
                double reference = workload == "vgg" ? pytorch.VggImagesPerSecond[batches[i].ToString()] : pytorch.TrainImagesPerSecond!.Value;
                rows.Add($"| {name} | {batches[i]} | {before[i].ExamplesPerSecond:0.00}, {after[i].ExamplesPerSecond:0.00} | {reference:0.00} | " +
                         $"{slimGen / reference:0.00}x | {before[i].LoadAverage:0.0}, {after[i].LoadAverage:0.0} |");
            }
        }

        Console.WriteLine($"### (c) PyTorch {pytorch!.Version} ({pytorch.Blas}), {pytorch.Threads} threads, each side in its default configuration");
        Console.WriteLine();
        Console.WriteLine("| Workload | Batch | SlimGen examples/s, before and after | PyTorch examples/s | SlimGen (mean) / PyTorch | load before, after |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
    }

    /// <summary>(d): the generator on a compilation of 500 models, and after an unrelated edit, against the floor of its API.</summary>
    public static void Generator(Options options)
    {
        double load = Measure.LoadAverage();
        var result = GeneratorCost.Run(models: 500, fullRuns: options.Quick ? 2 : 10, edits: options.Quick ? 6 : 30);
        Console.WriteLine($"### (d) Generator cost, {result.Models} models, in-process CSharpGeneratorDriver");
        Console.WriteLine();
        Console.WriteLine($"Load average at start: {load:0.00}. SlimGen's first run in the process, JIT of Roslyn and " +
                          $"the generator included: {result.FirstRunSeconds * 1000:0} ms. Then, after warm-up, medians of alternating rounds:");
        Console.WriteLine();
        Console.WriteLine("| Run | SlimGen | ForAttributeWithMetadataName floor | SlimGen / floor |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Row("full run, fresh driver and compilation", result.SlimGen.FullRunSeconds, result.Floor.FullRunSeconds);
        Row("re-run after an unrelated edit", result.SlimGen.UnrelatedEditSeconds, result.Floor.UnrelatedEditSeconds);
        Console.WriteLine();
        Console.WriteLine("Outputs of SlimGen's re-run after an unrelated edit: " +
                          string.Join(", ", result.UnrelatedEditReasons.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));
        Console.WriteLine();

        static void Row(string run, double slimGen, double floor) =>
            Console.WriteLine($"| {run} | {slimGen * 1000:0.0} ms | {floor * 1000:0.0} ms | {slimGen / floor:0.00}x |");
    }

    private static void WarmUp(int times, params Action[] sides)
    {
        for (int i = 0; i < times; i++)
        {
            foreach (var side in sides)
                side();
        }
    }

    private static void PrintRatioRow(string label, int examplesPerRound, double[] slimGen, double[] handWritten, int rounds)
    {
        double rateA = examplesPerRound / Measure.Median(slimGen), rateB = examplesPerRound / Measure.Median(handWritten);
        double roundRatio = Measure.Median(slimGen.Zip(handWritten, (a, b) => b / a));
        Console.WriteLine($"| {label} | {rateA:0.00} | {rateB:0.00} | {rateA / rateB:0.000}x | {roundRatio:0.000}x | {rounds} |");
    }

    /// <summary>The medians, field by field, of repeated runs of one configuration.</summary>
    private static ChildResult Median(List<ChildResult> runs) => runs[0] with
    {
        ExamplesPerSecond = Measure.Median(runs.Select(r => r.ExamplesPerSecond)),
        PageFaultsPerRun = (long)Measure.Median(runs.Select(r => (double)r.PageFaultsPerRun)),
        UserSecondsPerRun = Measure.Median(runs.Select(r => r.UserSecondsPerRun)),
        KernelSecondsPerRun = Measure.Median(runs.Select(r => r.KernelSecondsPerRun)),
        PeakRssMiB = Measure.Median(runs.Select(r => r.PeakRssMiB)),
        RssAfterMiB = Measure.Median(runs.Select(r => r.RssAfterMiB)),
        RssReleasedMiB = Measure.Median(runs.Select(r => r.RssReleasedMiB)),
        LoadAverage = Measure.Median(runs.Select(r => r.LoadAverage)),
    };

    private static void PrintProcessRow(string label, ChildResult result) =>
        Console.WriteLine($"| {label} | {result.Batch} | {result.Implementation} | {result.Allocator} | {result.ExamplesPerSecond:0.00} | " +
                          $"{result.PageFaultsPerRun:N0} | {result.UserSecondsPerRun:0.000} + {result.KernelSecondsPerRun:0.000} | " +
                          $"{result.PeakRssMiB:0} | {result.RssAfterMiB:0} | {result.RssReleasedMiB:0} | {result.LoadAverage:0.00} |");

    private static bool IsTuned(ChildResult result) => result.Allocator.StartsWith("glibc", StringComparison.Ordinal);

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : RuntimeInformation.ProcessArchitecture.ToString();
}
