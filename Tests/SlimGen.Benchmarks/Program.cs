using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using SlimGen;
using SlimGen.Benchmarks;
using TorchSharp;

// SlimGen's benchmarks (docs/BENCHMARKS.md). Run from the repository root:
//   dotnet run -c Release --project Tests/SlimGen.Benchmarks              everything, as a Markdown report
//   dotnet run -c Release --project Tests/SlimGen.Benchmarks -- compare   (a) and (b): generated vs hand-written, one process
//   ... -- processes                                                      (e) and the allocator policy: one process per configuration
//   ... -- pytorch                                                        (c): Tests/Fixtures/bench_pytorch.py
//   ... -- generator                                                      (d): generator cost on 500 models
//   ... -- convolutions                                                   (f): the convolution workaround's cost, one process per policy
//   ... -- serve                                                          (g): Samples/Serve under load on a loopback port
//   ... -- onnx                                                           (h): VGG-16 in ONNX Runtime vs TorchSharp, one process
//   ... -- zoo                                                            (i): ResNet-50, GoogLeNet, MobileNet V2 vs TorchVision.NET, one process
// Options: --threads N (2), --quick (fewer rounds, for a smoke run).
Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
if (options.Command != Child.Command)
{
    // In one process both sides share SlimGen's runtime defaults; a child decides for itself.
    SlimRuntime.Initialize();
    torch.set_num_threads(options.Threads);
}

switch (options.Command)
{
    case "all":
        Report.Header(options);
        Report.Compare(options);
        Report.Processes(options);
        Report.PyTorch(options);
        Report.Generator(options);
        Report.Convolutions(options);
        ServeLoad.Run(options);
        ServeLoad.CompareOnnx(options);
        Report.Zoo(options);
        break;
    case "compare":
        Report.Header(options);
        Report.Compare(options);
        break;
    case "processes":
        Report.Header(options);
        Report.Processes(options);
        break;
    case "pytorch":
        Report.Header(options);
        Report.PyTorch(options);
        break;
    case "generator":
        Report.Generator(options);
        break;
    case "onnx":
        Report.Header(options);
        ServeLoad.CompareOnnx(options);
        break;
    case "serve":
        Report.Header(options);
        ServeLoad.Run(options);
        break;
    case "zoo":
        Report.Header(options);
        Report.Zoo(options);
        break;
    case "convolutions":
        Report.Header(options);
        Report.Convolutions(options);
        break;
    case Child.Command:
        Child.Run(options);
        break;
    default:
        Console.Error.WriteLine($"Unknown command '{options.Command}'. Commands: all, compare, processes, pytorch, generator, convolutions, serve, onnx, zoo.");
        return 2;
}
return 0;

namespace SlimGen.Benchmarks
{
    /// <summary>Command-line options.</summary>
    /// <param name="Command">What to run.</param>
    /// <param name="Threads">Intra-op threads for TorchSharp (and PyTorch).</param>
    /// <param name="Quick">Fewer rounds: a smoke run, not for the record.</param>
    /// <param name="Rest">Arguments after the command and options (a child's workload).</param>
    internal sealed record Options(string Command, int Threads, bool Quick, IReadOnlyList<string> Rest)
    {
        public static Options Parse(string[] args)
        {
            int threads = 2;
            bool quick = false;
            var rest = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--threads":
                        threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                    case "--quick":
                        quick = true;
                        break;
                    default:
                        rest.Add(args[i]);
                        break;
                }
            }
            string command = rest.Count > 0 ? rest[0] : "all";
            return new Options(command, threads, quick, rest.Skip(1).ToList());
        }

        /// <summary>The same options as arguments, for a child process.</summary>
        public IEnumerable<string> ToArguments()
        {
            yield return "--threads";
            yield return Threads.ToString(CultureInfo.InvariantCulture);
            if (Quick)
                yield return "--quick";
        }
    }
}
