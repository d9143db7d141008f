using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>The incremental pipeline reuses its work when nothing that matters changed.</summary>
public class CachingTests
{
    private static readonly string[] TrackedSteps = { SlimModelGenerator.Steps.Parse, SlimModelGenerator.Steps.Generate };

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

    private static void AssertAllReused(GeneratorRunResult rerun)
    {
        foreach (var name in TrackedSteps)
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
