using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using SlimGen.Generator.CodeFixes;
using SlimGen.Generator.Diagnostics;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// SLIM020 and its fix: with <c>using static TorchSharp.torch.nn;</c> beside <c>using static SlimGen.Op;</c>, a bare
/// <c>Conv2d</c> in an attribute binds to TorchSharp's method and the compiler reports only CS1503.
/// </summary>
public class OpNameTests
{
    private const string Usings = SlimVerifier.Usings + "using static TorchSharp.torch.nn;\n";

    [Fact]
    public void SLIM020_on_each_hidden_layer_kind_beside_the_compilers_CS1503()
    {
        var compilation = GeneratorHarness.Compile(Usings + """
            [SlimModel(3, 32, 32)]
            [ArgScope(Conv2d, FullyConnected, Activation = Act.Relu)]
            [Repeat(2, Conv2d, 16, 3, Scope = "conv1")]
            [Flatten]
            [FullyConnected(10)]
            public partial class Net { }
            """);

        var reported = GeneratorHarness.OpNameDiagnostics(compilation);

        // Lines 5 and 6 (three lines of usings), at the bare names; nothing for FullyConnected, which nn lacks.
        Assert.Equal(new[] { "SLIM020 (5,11)-(5,17)", "SLIM020 (6,12)-(6,18)" }, reported.Select(Describe));
        Assert.All(reported, d => Assert.Equal(
            "'Conv2d' here means TorchSharp.torch.nn.Conv2d, not the layer kind Op.Conv2d: a 'using static' directive (such as TorchSharp.torch.nn's) brings in methods of that name; write Op.Conv2d",
            d.GetMessage(CultureInfo.InvariantCulture)));
        Assert.Equal(new[] { "CS1503 (5,11)-(5,17)", "CS1503 (6,12)-(6,18)" },
            compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe));
    }

    [Fact]
    public void Qualified_or_unhidden_layer_kinds_and_other_arguments_are_left_alone()
    {
        var compilation = GeneratorHarness.Compile(Usings + """
            public static class Sizes { public const int Flatten = 10; }

            [SlimModel(3, 32, 32)]
            [ArgScope(Op.Conv2d, FullyConnected, Activation = Act.Relu)]
            [Conv2d(16, 3, Scope = "conv1")]
            [Flatten]
            [FullyConnected(Sizes.Flatten)]
            public partial class Net { }

            [System.Obsolete(nameof(Dropout))]
            public static class NotSlimGen { }
            """);

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(GeneratorHarness.OpNameDiagnostics(compilation));
    }

    [Fact]
    public void Edit_after_the_finding_reuses_it()
    {
        const string Model = Usings + """
            [SlimModel(3, 32, 32)]
            [ArgScope(Conv2d, Activation = Act.Relu)]
            [Conv2d(16, 3)]
            public partial class Net { }
            """;
        var compilation = GeneratorHarness.Compile(Model);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new OpNameGenerator().AsSourceGenerator() },
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        // The file is parsed anew, so the argument is found again; what is found compares equal, so it stays cached.
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(
            Model.Replace("public partial class Net { }", "public partial class Net { public int Edited; }"), (CSharpParseOptions)tree.Options, tree.FilePath));
        var rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var found = rerun.TrackedSteps[OpNameGenerator.FindStep].SelectMany(step => step.Outputs).ToList();
        Assert.Single(found);
        Assert.Equal(IncrementalStepRunReason.Unchanged, found[0].Reason);
        Assert.Single(rerun.Diagnostics, d => d.Id == "SLIM020");
    }

    [Fact]
    public Task Code_fix_writes_Op_dot_the_layer_kind()
    {
        var test = new GeneratorCodeFixTest
        {
            TestCode = Usings + """
                [SlimModel(3, 32, 32)]
                [ArgScope({|CS1503:{|SLIM020:Conv2d|}|}, FullyConnected, Activation = Act.Relu)]
                [Flatten]
                [FullyConnected(10)]
                public partial class Net { }
                """,
            FixedCode = Usings + """
                [SlimModel(3, 32, 32)]
                [ArgScope(Op.Conv2d, FullyConnected, Activation = Act.Relu)]
                [Flatten]
                [FullyConnected(10)]
                public partial class Net { }
                """,
        };
        SlimVerifier.Configure(test); // references TorchSharp, whose 'using static' the test needs
        return test.RunAsync();
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan().Span;
        return $"{diagnostic.Id} ({span.Start.Line + 1},{span.Start.Character + 1})-({span.End.Line + 1},{span.End.Character + 1})";
    }

    /// <summary>The code fix against what <see cref="OpNameGenerator"/> reports, as the IDE runs it.</summary>
    private sealed class GeneratorCodeFixTest : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, QualifyOpCodeFixProvider, DefaultVerifier>
    {
        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(OpNameGenerator) };
    }
}
