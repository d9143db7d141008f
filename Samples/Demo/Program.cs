using System;
using System.Diagnostics;
using System.Linq;
using SlimGen.Demo;
using SlimGen.Zoo;
using TorchSharp;
using static TorchSharp.torch;

// SlimGen demo: two models generated at compile time from attributes, their compile-time summaries,
// and a timed forward pass of each.
torch.manual_seed(0);
torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));

Console.WriteLine(Vgg16.Summary);
Console.WriteLine();
Console.WriteLine(CifarNet.Summary);
Console.WriteLine();

using (var vgg = new Vgg16())
{
    Run("Vgg16", vgg, batch: 1, Vgg16.InputShape);
}
using (var cifar = new CifarNet())
{
    Run("CifarNet", cifar, batch: 8, CifarNet.InputShape);
}

static void Run(string name, nn.Module<Tensor, Tensor> model, int batch, System.Collections.Generic.IReadOnlyList<long> inputShape)
{
    model.eval();
    using var scope = NewDisposeScope();
    using var guard = torch.inference_mode();
    var input = torch.randn(new long[] { batch }.Concat(inputShape).ToArray());

    model.call(input); // warm-up: the first call pays for one-time allocations
    var watch = Stopwatch.StartNew();
    var output = model.call(input);
    watch.Stop();

    var top = output.argmax(1).data<long>().ToArray();
    Console.WriteLine($"{name}: input [{string.Join(", ", input.shape)}] -> output [{string.Join(", ", output.shape)}] " +
        $"in {watch.Elapsed.TotalMilliseconds:F1} ms ({batch / watch.Elapsed.TotalSeconds:F1} images/s); argmax {string.Join(", ", top)}");
}
