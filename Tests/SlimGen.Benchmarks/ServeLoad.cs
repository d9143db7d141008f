using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using SkiaSharp;
using SlimGen.Onnx;
using SlimGen.Serve.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Benchmarks;

/// <summary>
/// (g) Samples/Serve under load on a loopback port: throughput and p50/p99 latency at concurrency 1, 8 and 32 for each
/// model, against the same model's offline throughput at batch 8 and single forward pass (child processes, main
/// thread), and the service's resident set over 10,000 requests. The load generator shares the machine's cores with
/// the service; every request is bounded in count and time.
/// </summary>
internal static class ServeLoad
{
    private static readonly int[] Concurrencies = [1, 8, 32];

    private static readonly string[] Backends = ["torchsharp", "onnx"];

    private sealed record Workload(string Model, string ContentType, byte[] Payload, string OfflineWorkload, string OfflineImplementation, TimeSpan PerConcurrency);

    public static void Run(Options options)
    {
        Workload[] workloads =
        [
            new("fashion-mnist", "image/png", Image(28, 28, SKEncodedImageFormat.Png), "infer", Implementations.FashionMnist,
                TimeSpan.FromSeconds(options.Quick ? 2 : 8)),
            new("vgg16", "image/jpeg", Image(500, 375, SKEncodedImageFormat.Jpeg), "vgg", Implementations.SlimGen,
                TimeSpan.FromSeconds(options.Quick ? 6 : 20)),
        ];
        Console.WriteLine("### (g) Serving under load: Samples/Serve on a loopback port, each backend in a process of its own");
        Console.WriteLine();
        Console.WriteLine("Batching: at most 8 requests, 2 ms wait. Payloads: a 28x28 PNG (fashion-mnist), a 500x375 JPEG resized and " +
                          "cropped to 224x224 (vgg16). Offline: torchsharp, the same model in a child process on its main thread, " +
                          "inference mode; onnx, the exported model in ONNX Runtime in this process.");
        Console.WriteLine();
        Console.WriteLine("| Model | Backend | Concurrency | requests | requests/s | p50 ms | p99 ms | mean batch | service page faults per request | errors | load |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var targets = new List<string>();
        foreach (var workload in workloads)
            foreach (string backend in Backends)
            {
                var (offlineBatch8, forwardMs) = backend == "onnx"
                    ? OfflineOnnx(workload)
                    : (Child.Start(options, workload.OfflineWorkload, workload.OfflineImplementation, 8, Child.AllocatorChoice.Default).ExamplesPerSecond,
                       1000 / Child.Start(options, workload.OfflineWorkload, workload.OfflineImplementation, 1, Child.AllocatorChoice.Default).ExamplesPerSecond);
                var (rows, rss) = Measure(options, workload, backend).GetAwaiter().GetResult();
                foreach (var row in rows)
                    Console.WriteLine($"| {workload.Model} | {backend} | {row.Concurrency} | {row.Requests:N0} | {row.Rate:0.0} | {row.P50:0.0} | {row.P99:0.0} | {row.MeanBatch:0.0} | {row.PageFaultsPerRequest:N0} | {row.Errors} | {Benchmarks.Measure.LoadAverage():0.0} |");
                var atOne = rows.Single(r => r.Concurrency == 1);
                var atMost = rows.Single(r => r.Concurrency == Concurrencies[^1]);
                targets.Add($"| {workload.Model}, {backend}: requests/s at concurrency {atMost.Concurrency} / offline batch-8 images/s ({offlineBatch8:0.0}) | {atMost.Rate / offlineBatch8:0.00}x | at least 0.90x |");
                targets.Add($"| {workload.Model}, {backend}: p99 at concurrency 1 / offline single forward pass ({forwardMs:0.0} ms) | {atOne.P99 / forwardMs:0.00}x | at most 1.20x |");
                if (rss is { } memory)
                    targets.Add($"| {workload.Model}, {backend}: resident set over {memory.Requests:N0} requests at concurrency 8, MiB after each tenth | {string.Join(", ", memory.MiB.Select(m => m.ToString("0")))} | flat |");
            }
        Console.WriteLine();
        Console.WriteLine("| Target | Measured | Goal |");
        Console.WriteLine("| --- | ---: | --- |");
        targets.ForEach(Console.WriteLine);
        Console.WriteLine();
    }

    private sealed record Row(int Concurrency, int Requests, double Rate, double P50, double P99, double MeanBatch, int Errors)
    {
        public long PageFaultsPerRequest { get; init; }
    }

    /// <summary>
    /// (h) VGG-16 inference in ONNX Runtime (the exported model) against SlimGen's TorchSharp forward, one process,
    /// interleaved rounds in alternating order.
    /// </summary>
    public static void CompareOnnx(Options options)
    {
        Console.WriteLine("### (h) VGG-16 inference: exported to ONNX and run by ONNX Runtime vs SlimGen's TorchSharp forward, one process");
        Console.WriteLine();
        Console.WriteLine("| Batch | ONNX Runtime images/s | TorchSharp images/s | ONNX Runtime / TorchSharp (medians) | median of round ratios | max relative difference | rounds |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        string path = Path.Combine(Path.GetTempPath(), $"slimgen-bench-{Guid.NewGuid():N}.onnx");
        try
        {
            using var guard = inference_mode();
            using var model = new Zoo.Vgg16();
            model.eval();
            model.ExportOnnx(path);
            using var onnx = OnnxModel.Load(path);
            foreach (int batch in new[] { 1, 8 })
            {
                using var images = randn(batch, 3, 224, 224);
                var values = images.data<float>().ToArray();
                using var expected = model.call(images);
                var actual = onnx.Run(values, batch);
                double difference = expected.data<float>().Zip(actual, (e, a) => Math.Abs(e - a)).Max() / expected.abs().max().item<float>();
                int rounds = options.Quick ? 3 : batch == 1 ? 21 : 9;
                Action runOnnx = () => onnx.Run(values, batch);
                Action runTorch = () => { using var output = model.call(images); };
                runOnnx();
                runTorch();
                var (a, b) = Benchmarks.Measure.Interleaved(rounds, runOnnx, runTorch);
                double rateA = batch / Benchmarks.Measure.Median(a), rateB = batch / Benchmarks.Measure.Median(b);
                double roundRatio = Benchmarks.Measure.Median(a.Zip(b, (x, y) => y / x));
                Console.WriteLine($"| {batch} | {rateA:0.00} | {rateB:0.00} | {rateA / rateB:0.00}x | {roundRatio:0.00}x | {difference:0.0e0} | {rounds} |");
            }
        }
        finally
        {
            File.Delete(path);
        }
        Console.WriteLine();
    }

    /// <summary>The exported model's offline throughput at batch 8 and single-pass time in ONNX Runtime, in this process.</summary>
    private static (double Batch8PerSecond, double ForwardMilliseconds) OfflineOnnx(Workload workload)
    {
        string path = Path.Combine(Path.GetTempPath(), $"slimgen-bench-{Guid.NewGuid():N}.onnx");
        try
        {
            using (nn.Module<Tensor, Tensor> model = workload.Model == "vgg16" ? new Zoo.Vgg16() : new FashionMnistCnn())
                model.ExportOnnx(path);
            using var onnx = OnnxModel.Load(path);
            double Median(int batch, int runs)
            {
                var input = new float[batch * onnx.InputSize];
                onnx.Run(input, batch);
                return Benchmarks.Measure.Median(Enumerable.Range(0, runs).Select(_ => Benchmarks.Measure.Seconds(() => onnx.Run(input, batch))));
            }
            bool small = workload.Model != "vgg16";
            return (8 / Median(8, small ? 200 : 6), 1000 * Median(1, small ? 400 : 15));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(List<Row> Rows, (int Requests, double[] MiB)? Rss)> Measure(Options options, Workload workload, string backend)
    {
        await using var service = await ServeProcess.StartAsync(
            ServeProgram(), $"Model={workload.Model}", $"Backend={backend}", "MaxBatchSize=8", "MaxWaitMilliseconds=2");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(2) };
        await Drive(client, workload, concurrency: 4, TimeSpan.FromSeconds(2), maxRequests: 40); // warm-up
        var rows = new List<Row>();
        foreach (int concurrency in Concurrencies)
        {
            long faults = service.MinorPageFaults();
            var row = await Drive(client, workload, concurrency, workload.PerConcurrency, maxRequests: 100_000);
            rows.Add(row with { PageFaultsPerRequest = (service.MinorPageFaults() - faults) / Math.Max(1, row.Requests) });
        }

        (int, double[])? rss = null;
        if (workload.Model == "fashion-mnist")
        {
            int total = options.Quick ? 2_000 : 10_000;
            var samples = new List<double>();
            for (int tenth = 0; tenth < 10; tenth++)
            {
                await Drive(client, workload, concurrency: 8, TimeSpan.FromMinutes(2), maxRequests: total / 10);
                samples.Add(service.ResidentMiB());
            }
            rss = (total, samples.ToArray());
        }
        return (rows, rss);
    }

    /// <summary>
    /// <paramref name="concurrency"/> clients, each sending its next request when the previous answer came, until
    /// <paramref name="duration"/> has passed or <paramref name="maxRequests"/> were sent.
    /// </summary>
    private static async Task<Row> Drive(HttpClient client, Workload workload, int concurrency, TimeSpan duration, int maxRequests)
    {
        var latencies = new List<double>();
        var batchSizes = new List<int>();
        int sent = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration && Interlocked.Increment(ref sent) <= maxRequests)
            {
                var content = new ByteArrayContent(workload.Payload);
                content.Headers.ContentType = new MediaTypeHeaderValue(workload.ContentType);
                var start = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/v1/classify", content);
                string body = await response.Content.ReadAsStringAsync();
                double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                lock (latencies)
                {
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        errors++;
                        continue;
                    }
                    latencies.Add(milliseconds);
                    batchSizes.Add(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("batchSize").GetInt32());
                }
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        return new Row(concurrency, latencies.Count, latencies.Count / seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            batchSizes.Count == 0 ? 0 : batchSizes.Average(), errors);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>A photo-like test image: smooth gradients with noise, encoded as <paramref name="format"/>.</summary>
    private static byte[] Image(int width, int height, SKEncodedImageFormat format)
    {
        var random = new Random(1);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)random.Next(256)));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>Samples/Serve's program, built in the same configuration as this one.</summary>
    private static string ServeProgram()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SlimGen.sln")))
            directory = directory.Parent;
        if (directory is null)
            throw new InvalidOperationException("Run the benchmark from a build inside the SlimGen repository.");
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        return Path.Combine(directory.FullName, "Samples", "Serve", "bin", configuration, "net10.0", "SlimGen.Serve.dll");
    }
}
