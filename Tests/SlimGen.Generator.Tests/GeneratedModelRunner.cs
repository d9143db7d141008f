using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace SlimGen.Generator.Tests;

/// <summary>Loads the models a compilation generated and runs them, as a user's program would.</summary>
internal static class GeneratedModelRunner
{
    // A random program can ask for gigabytes of weights or activations; larger models are compiled but not run.
    private const long MaxParameters = 1_000_000;
    private const long MaxMacs = 20_000_000;
    private const long MaxValuesPerExample = 4_000_000;

    /// <summary>
    /// Emits <paramref name="compilation"/> and, for each model small enough, builds it with its constructor's
    /// defaults, runs a forward and a backward pass on a batch of 2 and checks the output shape against the
    /// compile-time summary; then exports it to ONNX and checks that ONNX Runtime computes the same inference output.
    /// Returns how many models ran.
    /// </summary>
    public static int RunSmallModels(Compilation compilation)
    {
        int ran = 0;
        WithAssembly(compilation, assembly =>
        {
            foreach (var type in assembly.GetTypes().Where(type => type.IsDefined(AttributesAssembly.SlimModel, inherit: false)))
            {
                var summary = (ModelSummary)type.GetProperty("Summary", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
                if (summary.TotalParameters > MaxParameters || summary.TotalMacs > MaxMacs
                    || summary.InputShape.Aggregate(1.0, (product, size) => product * size) + summary.ForwardBytes / sizeof(float) > MaxValuesPerExample)
                    continue;
                Run(type, summary);
                ran++;
            }
        });
        return ran;
    }

    /// <summary>Emits <paramref name="compilation"/>, which must succeed, and runs <paramref name="use"/> on the loaded assembly.</summary>
    public static void WithAssembly(Compilation compilation, Action<Assembly> use)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        // The generated assembly's references (SlimGen, TorchSharp) resolve to the test's own copies.
        var context = new AssemblyLoadContext("GeneratedModels", isCollectible: true);
        try
        {
            image.Position = 0;
            use(context.LoadFromStream(image));
        }
        finally
        {
            context.Unload();
        }
    }

    private static void Run(Type type, ModelSummary summary)
    {
        using var scope = NewDisposeScope();
        var constructor = type.GetConstructors().Single();
        var model = (nn.Module<Tensor, Tensor>)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
        try
        {
            // An input that needs its gradient gives every model, even one without parameters, a backward pass.
            var input = randn([2, .. summary.InputShape], requires_grad: true);
            var output = model.forward(input);
            Assert.Equal([2, .. summary.Layers[^1].OutputShape], output.shape);
            output.sum().backward();
            Assert.NotNull(input.grad);
            if (summary.MinimumInputShape is { } minimum)
            {
                // The smallest input the generator promised runs too, and one just below it is refused by the guard.
                Assert.Equal(output.shape.Length, model.forward(randn([2, .. minimum])).shape.Length);
                if (minimum[1] > 1)
                    Assert.Throws<ShapeMismatchException>(() => model.forward(randn(2, minimum[0], minimum[1] - 1, minimum[2])));
            }
            Assert.All(model.parameters(), parameter => Assert.NotNull(parameter.grad));

            model.eval();
            using var noGrad = no_grad();
            var batch = input.detach();
            var expected = model.forward(batch).data<float>().ToArray();
            using var session = new InferenceSession(Onnx.OnnxExport.ToOnnx(model));
            var dense = new DenseTensor<float>(batch.data<float>().ToArray(), batch.shape.Select(d => (int)d).ToArray());
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", dense)]);
            var actual = results.Single().AsEnumerable<float>().ToArray();
            double scale = Math.Max(expected.Max(Math.Abs), 1e-6);
            double error = expected.Zip(actual, (e, a) => Math.Abs(e - a)).DefaultIfEmpty(0).Max() / scale;
            Assert.Equal(expected.Length, actual.Length);
            Assert.True(error < 1e-4, $"{summary.ModelName}: ONNX Runtime differs from TorchSharp by {error} (relative)\n{summary}");
        }
        finally
        {
            model.Dispose();
        }
    }
}
