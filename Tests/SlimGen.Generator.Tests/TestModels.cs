using System.IO;
using System.Runtime.CompilerServices;

namespace SlimGen.Generator.Tests;

/// <summary>Model sources shared by the generator tests.</summary>
internal static class TestModels
{
    /// <summary>The zoo's VGG source, moved to another namespace so it does not clash with the referenced runtime.</summary>
    public static string ZooVgg => Zoo("Vgg.cs");

    /// <summary>A zoo source file (ResNet.cs: blocks with residuals; GoogLeNet.cs: branches), in another namespace.</summary>
    public static string Zoo(string file) => File.ReadAllText(Path.Combine(RepositoryRoot(), "Runtime", "Zoo", file))
        .Replace("namespace SlimGen.Zoo", "using SlimGen;\n\nnamespace Baseline.Zoo");

    /// <summary>Most features at once: nested class, scopes, stack, BatchNorm normalizer, asymmetric SAME, parameters.</summary>
    public const string SmallNet = """
        using SlimGen;
        using static SlimGen.Op;

        namespace Demo.Models;

        public partial class Outer
        {
            [SlimModel(1, 28, 28, OutputShape = new[] { 10 })]
            [ArgScope(Conv2d, FullyConnected, WeightsInit = Init.HeNormal)]
            [Conv2d(32, 5, Scope = "conv1")]
            [MaxPool2d(2, Scope = "pool1")]
            [Conv2d(64, 5, Stride = 2, Normalizer = Norm.BatchNorm, Scope = "conv2")]
            [AvgPool2d(3, Padding = Pad.Same)]
            [Flatten]
            [Stack(FullyConnected, 256, 128, Scope = "fc", WeightDecay = 0.0001)]
            [Dropout(0.4, Parameter = "dropoutRate")]
            [FullyConnected(10, Activation = Act.None, Scope = "logits", Parameter = "numClasses")]
            public partial class SmallNet { }
        }
        """;

    /// <summary>A feature-vector model in the global namespace with assembly and reusable arg scopes.</summary>
    public const string Mlp = """
        using SlimGen;
        using static SlimGen.Op;

        [assembly: ArgScope(FullyConnected, WeightsInit = Init.TruncatedNormal, WeightsStddev = 0.1)]

        [ArgScope(FullyConnected, Activation = Act.Tanh)]
        public sealed class TanhScope { }

        [SlimModel(16)]
        [UseArgScope(typeof(TanhScope))]
        [FullyConnected(32)]
        [BatchNorm(Momentum = 0.01)]
        [FullyConnected(4, Activation = Act.Softmax, Scope = "probabilities")]
        public partial class Mlp { }
        """;

    public static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    public static string BaselineDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Baselines");
}
