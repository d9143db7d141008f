using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>The incremental pipeline reuses its work when nothing that matters changed.</summary>
public class CachingTests
{
    private static readonly string[] TrackedSteps = { SlimModelGenerator.Steps.Parse, SlimModelGenerator.Steps.Generate };

    private static readonly string[] BlockSteps =
    {
        SlimModelGenerator.Steps.Parse, SlimModelGenerator.Steps.ParseBlock, SlimModelGenerator.Steps.Blocks,
        SlimModelGenerator.Steps.Generate, SlimModelGenerator.Steps.GenerateBlock,
    };

    private const string Unit = """
        using SlimGen;
        [SlimBlock("depth")]
        [Residual(Shortcut = Shortcut.Projection, Activation = Act.Relu)]
        [Conv2d("depth", 3, Strided = true, Scope = "conv1")]
        [Conv2d("depth", 3, Activation = Act.None, Scope = "conv2")]
        public partial class Unit { }
        """;

    private const string Other = """
        using SlimGen;
        [SlimBlock]
        [Branch("a")] [Conv2d(4, 1)] [Branch("b")] [Conv2d(4, 3)] [Concat]
        public partial class Other { }
        """;

    private const string ResidualNet = """
        using SlimGen;
        [SlimModel(3, 16, 16)]
        [Conv2d(8, 3, Scope = "stem")]
        [Repeat(2, typeof(Unit), 16, Stride = 2, Scope = "stage")]
        [GlobalAvgPool2d] [Flatten] [FullyConnected(10, Activation = Act.None)]
        public partial class ResidualNet { }
        """;

    [Fact]
    public void Unrelated_edit_with_blocks_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(ResidualNet, Unit, Other, "public class Unrelated { }");
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var rerun = driver.RunGenerators(Replace(compilation, "Unrelated", "public class Unrelated { public int Edited; }")).GetRunResult().Results.Single();

        AssertAllReused(rerun, BlockSteps);
    }

    [Fact]
    public void Editing_a_block_in_another_file_regenerates_the_block_and_the_models_that_use_it_only()
    {
        var compilation = GeneratorHarness.Compile(ResidualNet, Unit, Other, TestModels.Mlp);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var rerun = driver.RunGenerators(Replace(compilation, "class Unit", Unit.Replace("Act.Relu", "Act.Relu6"))).GetRunResult().Results.Single();

        var generated = rerun.TrackedSteps[SlimModelGenerator.Steps.Generate].SelectMany(step => step.Outputs).ToList();
        Assert.Equal(1, generated.Count(output => output.Reason == IncrementalStepRunReason.Modified)); // ResidualNet, not Mlp
        Assert.Contains("global::SlimGen.Act.Relu6", rerun.GeneratedSources.Single(s => s.HintName == "Unit.g.cs").SourceText.ToString());
        Assert.All(rerun.TrackedSteps[SlimModelGenerator.Steps.GenerateBlock].SelectMany(step => step.Outputs)
                .Where(output => output.Value is Emit.BlockInput { Spec.ClassName: "Other" }),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }

    private static Compilation Replace(Compilation compilation, string marker, string source)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(marker));
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(source, (CSharpParseOptions)tree.Options, tree.FilePath));
    }

    [Fact]
    public void Rerun_without_changes_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(TestModels.SmallNet, TestModels.Mlp);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var rerun = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        AssertAllReused(rerun);
    }

    [Fact]
    public void Rerun_of_a_model_with_errors_is_all_cached()
    {
        // Its errors flow through the pipeline as data, to be thrown by its members: they must compare by value too.
        var compilation = GeneratorHarness.Compile(TestModels.Mlp.Replace("[FullyConnected(32)]", "[Conv2d(32, 3)]"), "public class Unrelated { }");
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        Assert.Contains("SLIM011", driver.GetRunResult().GeneratedTrees.Single().ToString());

        var unrelated = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("public class Unrelated { public int Edited; }", (CSharpParseOptions)unrelated.Options, unrelated.FilePath));
        var rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllReused(rerun);
    }

    [Fact]
    public void Unrelated_edit_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(TestModels.SmallNet, TestModels.Mlp, "public class Unrelated { }");
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("Unrelated"));
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("public class Unrelated { public int Edited; }", (CSharpParseOptions)unrelated.Options, unrelated.FilePath));
        var rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllReused(rerun);
    }

    [Fact]
    public void Edit_that_moves_a_model_without_changing_it_reuses_its_output()
    {
        var compilation = GeneratorHarness.Compile(TestModels.Mlp);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var moved = compilation.ReplaceSyntaxTree(tree,
            CSharpSyntaxTree.ParseText("// a comment that shifts every line\n" + TestModels.Mlp, (CSharpParseOptions)tree.Options, tree.FilePath));
        var rerun = driver.RunGenerators(moved).GetRunResult().Results.Single();

        Assert.All(rerun.TrackedSteps[SlimModelGenerator.Steps.Generate].SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
        Assert.All(rerun.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }

    [Fact]
    public void Editing_a_model_regenerates_it()
    {
        var compilation = GeneratorHarness.Compile(TestModels.Mlp);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree,
            CSharpSyntaxTree.ParseText(TestModels.Mlp.Replace("[FullyConnected(32)]", "[FullyConnected(64)]"), (CSharpParseOptions)tree.Options, tree.FilePath));
        var rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(rerun.TrackedSteps[SlimModelGenerator.Steps.Generate].SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("outFeatures: 64", rerun.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Editing_a_reusable_arg_scope_in_another_file_regenerates_the_model()
    {
        const string Scope = "using SlimGen; [ArgScope(Op.FullyConnected, Activation = Act.Tanh)] public sealed class Shared { }";
        const string Model = "using SlimGen; [SlimModel(4)] [UseArgScope(typeof(Shared))] [FullyConnected(2)] public partial class Net { }";
        var compilation = GeneratorHarness.Compile(Model, Scope);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var scopeTree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(scopeTree,
            CSharpSyntaxTree.ParseText(Scope.Replace("Act.Tanh", "Act.Sigmoid"), (CSharpParseOptions)scopeTree.Options, scopeTree.FilePath));
        var rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains("activation: global::SlimGen.Act.Sigmoid", rerun.GeneratedSources.Single().SourceText.ToString());
    }

    private static void AssertAllReused(GeneratorRunResult rerun) => AssertAllReused(rerun, TrackedSteps);

    private static void AssertAllReused(GeneratorRunResult rerun, string[] steps)
    {
        foreach (var name in steps)
        {
            var outputs = rerun.TrackedSteps[name].SelectMany(step => step.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{name}: {output.Reason}"));
        }
        Assert.All(rerun.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }
}
