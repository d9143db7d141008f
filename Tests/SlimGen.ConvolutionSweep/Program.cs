using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using SlimGen;
using SlimGen.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

// Convolves every configuration of the sweep in float32 through SlimGen's Conv2d layer and through libtorch's F.conv2d
// directly, and compares the output, the input gradient and the weight gradient with float64, which does not go
// through oneDNN. Exit code 1 when SlimGen's layer is wrong anywhere; libtorch's own errors are reported, not failed.
// Usage: SlimGen.ConvolutionSweep [--quick]

const int Size = 11; // odd, so that SAME padding is symmetric at strides 1 and 2 and F.conv2d can match it

bool quick = args.Contains("--quick");
int[] tailChannels = [1, 3, 4, 8, 12, 15, 16, 17, 20, 24, 31, 32, 33, 40];
var configurations = new List<Configuration>();
// Every pair of channel counts 1..40 in libtorch's oneDNN case (batch 2, 3x3), then the counts around both block sizes
// with every kernel, stride and batch size.
for (int inChannels = 1; inChannels <= 40; inChannels++)
    for (int outChannels = 1; outChannels <= 40; outChannels++)
        configurations.Add(new(2, inChannels, outChannels, 3, 1));
foreach (int batch in quick ? [2] : new[] { 1, 2, 8 })
    foreach (int kernel in new[] { 1, 3, 5 })
        foreach (int stride in new[] { 1, 2 })
            foreach (int inChannels in tailChannels)
                foreach (int outChannels in tailChannels)
                    configurations.Add(new(batch, inChannels, outChannels, kernel, stride));

SlimRuntime.Initialize();
Console.WriteLine($"convolutions: {SlimRuntime.Convolutions}");
Console.WriteLine($"ONEDNN_MAX_CPU_ISA: {Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "(default)"}");

var clock = Stopwatch.StartNew();
int slimGenWrong = 0, libTorchWrong = 0;
manual_seed(7);
foreach (var configuration in configurations)
{
    var (slimGen, libTorch) = Measure(configuration);
    if (!slimGen.IsCorrect)
    {
        slimGenWrong++;
        Console.WriteLine($"WRONG slimgen {configuration}: {slimGen}");
    }
    if (!libTorch.IsCorrect)
    {
        libTorchWrong++;
        if (libTorchWrong <= 40)
            Console.WriteLine($"wrong libtorch {configuration}: {libTorch}");
    }
}
Console.WriteLine(
    $"{configurations.Count} configurations in {clock.Elapsed.TotalSeconds:0.0} s: SlimGen wrong in {slimGenWrong}, " +
    $"libtorch's F.conv2d wrong in {libTorchWrong}");
return slimGenWrong == 0 ? 0 : 1;

static (Errors SlimGen, Errors LibTorch) Measure(Configuration c)
{
    using var scope = NewDisposeScope();
    var input = randn(c.Batch, c.InChannels, Size, Size, dtype: float64);
    using var layer = new Conv2d(c.InChannels, c.OutChannels, c.Kernel, c.Stride, Pad.Same, activation: Act.None, dtype: float32);
    var weight = layer.weight.detach().to(float64);
    var bias = layer.bias!.detach().to(float64);
    var expectedOutput = F.conv2d(input, weight, bias, strides: [c.Stride, c.Stride], padding: [c.Kernel / 2, c.Kernel / 2]);
    var upstream = randn_like(expectedOutput);
    var expected = Run(input, weight, bias, upstream, (x, w, b) => F.conv2d(x, w, b, strides: [c.Stride, c.Stride], padding: [c.Kernel / 2, c.Kernel / 2]));

    var x32 = input.to(float32).requires_grad_();
    var output = layer.call(x32);
    output.backward([upstream.to(float32)]);
    var slimGen = new Errors(
        RelativeError(output, expected.Output), RelativeError(x32.grad!, expected.InputGradient),
        RelativeError(layer.weight.grad!, expected.WeightGradient));

    var raw = Run(input.to(float32), weight.to(float32), bias.to(float32), upstream.to(float32),
        (x, w, b) => F.conv2d(x, w, b, strides: [c.Stride, c.Stride], padding: [c.Kernel / 2, c.Kernel / 2]));
    var libTorch = new Errors(
        RelativeError(raw.Output, expected.Output), RelativeError(raw.InputGradient, expected.InputGradient),
        RelativeError(raw.WeightGradient, expected.WeightGradient));
    return (slimGen, libTorch);
}

static (Tensor Output, Tensor InputGradient, Tensor WeightGradient) Run(
    Tensor input, Tensor weight, Tensor bias, Tensor upstream, Func<Tensor, Tensor, Tensor, Tensor> convolve)
{
    var x = input.detach().requires_grad_();
    var w = weight.detach().requires_grad_();
    var output = convolve(x, w, bias);
    output.backward([upstream]);
    return (output.detach(), x.grad!, w.grad!);
}

// The largest absolute difference relative to the largest expected value: NaN (never correct) when a NaN came out.
static double RelativeError(Tensor actual, Tensor expected) =>
    (actual.detach().to(float64) - expected).abs().max().item<double>() / Math.Max(expected.abs().max().item<double>(), 1e-12);

internal readonly record struct Configuration(int Batch, int InChannels, int OutChannels, int Kernel, int Stride)
{
    public override string ToString() => $"N{Batch} C{InChannels} OC{OutChannels} k{Kernel} s{Stride}";
}

internal readonly record struct Errors(double Output, double InputGradient, double WeightGradient)
{
    private const double Tolerance = 1e-4;

    public bool IsCorrect => Output < Tolerance && InputGradient < Tolerance && WeightGradient < Tolerance;

    public override string ToString() =>
        $"relative error output {Output:g2}, input gradient {InputGradient:g2}, weight gradient {WeightGradient:g2}";
}
