using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SlimGen;
using SlimGen.Demo;
using SlimGen.Onnx;
using SlimGen.Zoo;
using TorchSharp;
using static TorchSharp.torch;

// SlimGen demo: two models generated at compile time from attributes, their compile-time summaries,
// and timed forward passes of each.
//   dotnet run --project Samples/Demo                            the demo
//   dotnet run --project Samples/Demo -- --export-onnx <folder>   writes the zoo and CifarCnn as ONNX files instead
torch.manual_seed(0);
if (args is ["--export-onnx", var folder])
{
    Directory.CreateDirectory(folder);
    foreach (var (name, create) in new (string, Func<nn.Module<Tensor, Tensor>>)[]
             {
                 ("vgg11", () => new Vgg11()), ("vgg16", () => new Vgg16()), ("vgg19", () => new Vgg19()),
                 ("resnet18", () => new ResNet18()), ("resnet50", () => new ResNet50()), ("googlenet", () => new GoogLeNet()),
                 ("inception_v3", () => new InceptionV3()), ("mobilenet_v2", () => new MobileNetV2()), ("mobilenet_v1", () => new MobileNetV1()),
                 ("alexnet", () => new AlexNet()), ("lenet", () => new LeNet()), ("cifarnet", () => new CifarNet()), ("cifarcnn", () => new CifarCnn()),
             })
    {
        using var model = create();
        string path = Path.Combine(folder, name + ".onnx");
        model.ExportOnnx(path);
        Console.WriteLine($"{path}: {new FileInfo(path).Length / (1 << 20)} MiB");
    }
    return;
}
torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
SlimRuntime.Initialize();
// What SlimGen found out about this CPU's convolution kernels (docs/PLATFORM.md) and its allocator settings.
Console.WriteLine($"Convolutions: {SlimRuntime.Convolutions}");
Console.WriteLine($"Allocator: {SlimRuntime.Allocator}");
Console.WriteLine();

Console.WriteLine(Vgg16.Summary);
Console.WriteLine();
Console.WriteLine(CifarCnn.Summary);
Console.WriteLine();

using (var vgg = new Vgg16())
{
    Run("Vgg16", vgg, batch: 1, Vgg16.InputShape);
}
using (var cifar = new CifarCnn())
{
    Run("CifarCnn", cifar, batch: 8, CifarCnn.InputShape);
}
// A network of blocks (bottleneck units with projection shortcuts), at a size other than the one it declares.
using (var resnet = new ResNet50())
{
    Console.WriteLine($"ResNet50: {ResNet50.Summary.TotalParameters:N0} parameters, any input from {string.Join("x", ResNet50.Summary.MinimumInputShape!.Skip(1))} on");
    Run("ResNet50", resnet, batch: 1, [3, 192, 160]);
}

static void Run(string name, nn.Module<Tensor, Tensor> model, int batch, System.Collections.Generic.IReadOnlyList<long> inputShape)
{
    model.eval();
    using var scope = NewDisposeScope();
    using var guard = torch.inference_mode();
    var input = torch.randn(new long[] { batch }.Concat(inputShape).ToArray());

    var output = model.call(input); // warm-up: the first call pays for one-time allocations
    // The median of a few passes: one pass alone swings with whatever else the machine does.
    const int Passes = 5;
    var seconds = new double[Passes];
    for (int pass = 0; pass < Passes; pass++)
    {
        var watch = Stopwatch.StartNew();
        output = model.call(input);
        seconds[pass] = watch.Elapsed.TotalSeconds;
    }
    double median = seconds.Order().ElementAt(Passes / 2);

    var top = output.argmax(1).data<long>().ToArray();
    Console.WriteLine($"{name}: input [{string.Join(", ", input.shape)}] -> output [{string.Join(", ", output.shape)}] " +
        $"in {median * 1000:F1} ms, median of {Passes} passes ({batch / median:F1} images/s); argmax {string.Join(", ", top)}");
}
