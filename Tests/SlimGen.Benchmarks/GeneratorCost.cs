extern alias generator;

using System;
using System.Collections.Generic;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SlimGen.Benchmarks;

/// <summary>Generator cost measured in one process (d): a compilation of many models, then an edit to an unrelated file.</summary>
internal static class GeneratorCost
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // Four model shapes that exercise scopes, repeats, stacks, normalizers, parameters and arg scopes.
    private static readonly string[] Templates =
    [
        """
        [SlimModel(3, 32, 32)]
        [ArgScope(Conv2d, FullyConnected, WeightDecay = 0.0005)]
        [Repeat(2, Conv2d, 32, 3, Scope = "conv1")]
        [MaxPool2d(2, Scope = "pool1")]
        [Repeat(2, Conv2d, 64, 3, Scope = "conv2")]
        [MaxPool2d(2, Scope = "pool2")]
        [Flatten]
        [FullyConnected(256, Scope = "fc3")]
        [Dropout(0.5, Scope = "dropout3")]
        [FullyConnected(10, Activation = Act.None, Scope = "logits", Parameter = "numClasses")]
        """,
        """
        [SlimModel(784)]
        [Stack(FullyConnected, 512, 256, 128, Scope = "fc")]
        [Dropout(0.2)]
        [FullyConnected(10, Activation = Act.Softmax, Scope = "probabilities")]
        """,
        """
        [SlimModel(1, 28, 28)]
        [ArgScope(Conv2d, Normalizer = Norm.BatchNorm, WeightsInit = Init.HeNormal)]
        [Conv2d(32, 5, Scope = "conv1")]
        [MaxPool2d(2, Scope = "pool1")]
        [Conv2d(64, 5, Stride = 2, Scope = "conv2")]
        [AvgPool2d(3, Padding = Pad.Same)]
        [Flatten]
        [FullyConnected(1024, Scope = "fc3")]
        [FullyConnected(10, Activation = Act.None, Scope = "logits")]
        """,
        """
        [SlimModel(3, 224, 224)]
        [ArgScope(Conv2d, FullyConnected, Activation = Act.Relu, WeightDecay = 0.0005)]
        [Repeat(2, Conv2d, 64, 3, Scope = "conv1")]
        [MaxPool2d(2, Scope = "pool1")]
        [Repeat(2, Conv2d, 128, 3, Scope = "conv2")]
        [MaxPool2d(2, Scope = "pool2")]
        [Repeat(3, Conv2d, 256, 3, Scope = "conv3")]
        [MaxPool2d(2, Scope = "pool3")]
        [Repeat(3, Conv2d, 512, 3, Scope = "conv4")]
        [MaxPool2d(2, Scope = "pool4")]
        [Repeat(3, Conv2d, 512, 3, Scope = "conv5")]
        [MaxPool2d(2, Scope = "pool5")]
        [Flatten]
        [FullyConnected(4096, Scope = "fc6")]
        [Dropout(0.5, Scope = "dropout6", Parameter = "dropoutRate")]
        [FullyConnected(4096, Scope = "fc7")]
        [Dropout(0.5, Scope = "dropout7", Parameter = "dropoutRate")]
        [FullyConnected(1000, Activation = Act.None, Scope = "fc8", Parameter = "numClasses")]
        """,
    ];

    /// <summary>Medians of one generator's runs.</summary>
    /// <param name="FullRunSeconds">Full runs of fresh drivers over fresh compilations.</param>
    /// <param name="UnrelatedEditSeconds">Re-runs after an edit to an unrelated file.</param>
    public sealed record Timing(double FullRunSeconds, double UnrelatedEditSeconds);

    /// <summary>The figures of one benchmark run.</summary>
    /// <param name="Models">Models in the compilation.</param>
    /// <param name="FirstRunSeconds">SlimGen's first run in the process, JIT compilation of Roslyn and the generator included.</param>
    /// <param name="SlimGen">SlimGen's generator.</param>
    /// <param name="Floor"><see cref="AttributeFloorGenerator"/> on the same compilations, in alternating rounds with SlimGen.</param>
    /// <param name="UnrelatedEditReasons">How SlimGen's re-run after an unrelated edit produced each output (all Cached or Unchanged when the cache is reused).</param>
    public sealed record Result(int Models, double FirstRunSeconds, Timing SlimGen, Timing Floor, IReadOnlyDictionary<string, int> UnrelatedEditReasons);

    public static Result Run(int models, int fullRuns, int edits)
    {
        var sources = Enumerable.Range(0, models).Select(ModelSource).Append(Unrelated(0)).ToArray();

        var first = RunOnce(sources, new generator::SlimGen.Generator.SlimModelGenerator());
        if (first.Generated != models)
            throw new InvalidOperationException($"The generator wrote {first.Generated} files for {models} models.");
        // Both sides warm up before the measured rounds, so that neither pays for JIT tiering of Roslyn's paths.
        for (int i = 0; i < 3; i++)
        {
            RunOnce(sources, new AttributeFloorGenerator());
            RunOnce(sources, new generator::SlimGen.Generator.SlimModelGenerator());
        }
        var (fullSlimGen, fullFloor) = Measure.Interleaved(fullRuns,
            () => RunOnce(sources, new generator::SlimGen.Generator.SlimModelGenerator()),
            () => RunOnce(sources, new AttributeFloorGenerator()));

        // Edits to an unrelated file: each re-run must find every model in the cache.
        var slimGen = new EditedCompilation(sources, new generator::SlimGen.Generator.SlimModelGenerator());
        var floor = new EditedCompilation(sources, new AttributeFloorGenerator());
        var (editSlimGen, editFloor) = Measure.Interleaved(edits, slimGen.EditAndRun, floor.EditAndRun);

        return new Result(models, first.Seconds,
            new Timing(Measure.Median(fullSlimGen), Measure.Median(editSlimGen)),
            new Timing(Measure.Median(fullFloor), Measure.Median(editFloor)),
            UnrelatedEditReasons(sources));
    }

    /// <summary>A compilation whose unrelated file is edited before each re-run of one generator driver.</summary>
    private sealed class EditedCompilation
    {
        private CSharpCompilation _compilation;
        private GeneratorDriver _driver;
        private int _edit;

        /// <summary>Runs the generator once, which fills the driver's cache.</summary>
        public EditedCompilation(string[] sources, IIncrementalGenerator generator)
        {
            _compilation = Compile(sources);
            _driver = CreateDriver(generator, trackSteps: false).RunGenerators(_compilation);
        }

        public void EditAndRun()
        {
            _compilation = ReplaceUnrelated(_compilation, ++_edit);
            _driver = _driver.RunGenerators(_compilation);
        }
    }

    /// <summary>Reasons of every output step of a tracked re-run after an unrelated edit.</summary>
    private static Dictionary<string, int> UnrelatedEditReasons(string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver(new generator::SlimGen.Generator.SlimModelGenerator(), trackSteps: true).RunGenerators(compilation);
        var result = driver.RunGenerators(ReplaceUnrelated(compilation, 1)).GetRunResult().Results.Single();
        return result.TrackedSteps
            .Where(step => step.Key.StartsWith("SlimGen.", StringComparison.Ordinal))
            .SelectMany(step => step.Value)
            .Concat(result.TrackedOutputSteps.SelectMany(step => step.Value))
            .SelectMany(step => step.Outputs)
            .GroupBy(output => output.Reason.ToString())
            .ToDictionary(group => group.Key, group => group.Count());
    }

    private static (double Seconds, int Generated) RunOnce(string[] sources, IIncrementalGenerator generator)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver(generator, trackSteps: false);
        double seconds = Measure.Seconds(() => driver = driver.RunGenerators(compilation));
        return (seconds, driver.GetRunResult().GeneratedTrees.Length);
    }

    private static CSharpCompilation ReplaceUnrelated(CSharpCompilation compilation, int edit)
    {
        var old = compilation.SyntaxTrees.Last();
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Unrelated(edit), ParseOptions, old.FilePath));
    }

    private static string ModelSource(int index) =>
        $$"""
        using SlimGen;
        using static SlimGen.Op;

        namespace Bench.Models;

        {{Templates[index % Templates.Length]}}
        public partial class Model{{index}} { }
        """;

    private static string Unrelated(int edit) => $"namespace Bench; public static class Unrelated {{ public const int Edit = {edit}; }}";

    private static CSharpCompilation Compile(string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorCost",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"File{i}.cs")),
            Net100.References.All.Append(MetadataReference.CreateFromFile(typeof(SlimModelAttribute).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    private static GeneratorDriver CreateDriver(IIncrementalGenerator generator, bool trackSteps) =>
        CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// The least a generator built on <c>ForAttributeWithMetadataName</c> does: it finds the same 500 classes and writes
    /// one line for each. Roslyn runs the transform of every attributed class again with the new compilation's semantic
    /// model after any edit, so this generator's cost is the floor under SlimGen's.
    /// </summary>
    private sealed class AttributeFloorGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName(
                typeof(SlimModelAttribute).FullName!,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                transform: static (ctx, _) => ctx.TargetSymbol.Name);
            context.RegisterSourceOutput(names, static (production, name) => production.AddSource(name + ".g.cs", "// " + name));
        }
    }
}
