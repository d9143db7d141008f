using System;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// One error per mistake: a model with SLIM errors keeps its public members (they throw), so the code that uses it
/// compiles and the SLIM diagnostics at their causes are the build's only diagnostics.
/// </summary>
public class BrokenModelTests
{
    /// <summary>Uses every member of the generated half, as an application would.</summary>
    private const string UserCode = """
        /// <summary>An application.</summary>
        internal static class Application
        {
            public static void UseEverything(TorchSharp.torch.Tensor batch)
            {
                using var model = new Net($ARGUMENTS device: TorchSharp.torch.CPU, dtype: TorchSharp.torch.ScalarType.Float32);
                TorchSharp.torch.Tensor output = model.call(batch);
                output = model.forward(batch);
                var (last, endpoints) = model.ForwardWithEndpoints(batch);
                TorchSharp.torch.Tensor loss = model.RegularizationLoss() + last.sum() + endpoints.Count;
                SlimGen.ModelSummary summary = Net.Summary;
                System.Collections.Generic.IReadOnlyList<long> shape = Net.InputShape;
            }
        }
        """;

    /// <summary>Each SLIM error id whose model can still get its members: the model, marked where each error is.</summary>
    public static TheoryData<string, string> BrokenModels() => new()
    {
        { "SLIM001", """
            [SlimModel(3, 1, 1)]
            [Conv2d(8, 3, Parameter = "width")]
            [{|SLIM001:MaxPool2d(2)|}]
            """ },
        { "SLIM002", """
            [SlimModel(3, 5, 5)]
            [{|SLIM002:Conv2d(8, 7, Padding = Pad.Valid, Parameter = "width")|}]
            """ },
        { "SLIM003", """
            [SlimModel(3, 8, 8)]
            [Conv2d(8, 3, Parameter = "width")]
            [{|SLIM003:FullyConnected(10)|}]
            """ },
        { "SLIM004", """
            [SlimModel(16)]
            [FullyConnected(8, Scope = "fc", Parameter = "width")]
            [FullyConnected(4, {|SLIM004:Scope = "fc"|})]
            """ },
        // The constructor keeps the parameter of the layer at fault.
        { "SLIM005", """
            [SlimModel(16)]
            [FullyConnected({|SLIM005:0|}, Parameter = "width")]
            [Dropout({|SLIM005:1.0|})]
            """ },
        { "SLIM006", """
            [SlimModel(3, {|SLIM006:0|}, 8)]
            [Conv2d(8, 3, Parameter = "width")]
            """ },
        { "SLIM009", """
            [SlimModel(16)]
            [FullyConnected(8, Parameter = "width")]
            public partial class Net { }

            [{|SLIM009:FullyConnected(2)|}]
            """ },
        { "SLIM010", """
            [SlimModel(16)]
            [FullyConnected(8, {|SLIM010:Scope = "conv-1"|}, Parameter = "width")]
            """ },
        { "SLIM011", """
            [SlimModel(16)]
            [{|SLIM011:Conv2d(8, 3, Parameter = "width")|}]
            """ },
        { "SLIM013", """
            [SlimModel(2147483647, 1, 1)]
            [{|SLIM013:Conv2d(2147483647, 3, Parameter = "width")|}]
            """ },
        { "SLIM014", """
            [SlimModel(16)]
            [FullyConnected(8, Parameter = "width")]
            [FullyConnected(4, {|SLIM014:Parameter = "width"|})]
            """ },
        { "SLIM015", """
            [SlimModel(16)]
            public partial class {|SLIM015:Net|} { }
            """ },
        // The constructor keeps the parameter of a repeat whose arguments build no layer.
        { "SLIM016", """
            [SlimModel(16)]
            [{|SLIM016:Repeat(2, FullyConnected, Parameter = "width")|}]
            """ },
        { "SLIM017", """
            [SlimModel(16, {|SLIM017:OutputShape = new[] { 10 }|})]
            [FullyConnected(4, Parameter = "width")]
            """ },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public void Code_that_uses_a_broken_model_compiles_and_the_SLIM_errors_are_the_only_diagnostics(string id, string model)
    {
        var (source, expected) = Unmark(Model(model));
        var arguments = source.Contains("Parameter = \"width\"") ? "width: 8," : "";

        // With XML documentation checked, so that the generated members' comments are checked too.
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Documented, source, UserCode.Replace("$ARGUMENTS", arguments));

        Assert.Contains(id, GeneratorHarness.Generated(result, "Net.g.cs"));
        var actual = GeneratorHarness.Analyze(output, withCompilerDiagnostics: true)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .Select(d => Describe(d.Id, d.Location.SourceTree!.FilePath == "Model0.cs" ? d.Location.SourceSpan : default, source))
            .OrderBy(d => d, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(d => d, StringComparer.Ordinal), actual);
    }

    [Fact]
    public void Every_member_of_a_broken_model_throws_its_SLIM_errors()
    {
        var source = Model("""
            [SlimModel(16)]
            [FullyConnected(0, Parameter = "width")]
            [Dropout(1.0)]
            """);
        var (_, output) = GeneratorHarness.Run(source);

        GeneratedModelRunner.WithAssembly(output, assembly =>
        {
            var net = assembly.GetType("Net")!;
            var constructor = net.GetConstructors().Single();
            Assert.Equal(["width", "device", "dtype"], constructor.GetParameters().Select(p => p.Name));

            var thrown = Assert.Throws<TargetInvocationException>(() => constructor.Invoke([8L, null, null]));
            var error = Assert.IsType<InvalidModelException>(thrown.InnerException);
            Assert.Equal("Net", error.ModelName);
            Assert.Equal(
                [
                    "SLIM005: 'fully_connected' has units = 0, but it must be at least 1",
                    "SLIM005: 'dropout' has rate = 1, but it must be in [0, 1): it is the drop probability",
                ],
                error.Errors);
            Assert.StartsWith("Net cannot run: its SlimGen attributes have errors", error.Message);
            Assert.Contains(error.Errors[1], error.Message);

            foreach (var property in new[] { "Summary", "InputShape" })
            {
                thrown = Assert.Throws<TargetInvocationException>(() => net.GetProperty(property)!.GetValue(null));
                Assert.IsType<InvalidModelException>(thrown.InnerException);
            }
        });
    }

    [Fact]
    public void A_broken_models_file_matches_its_baseline() => BaselineTests.AssertMatchesBaseline("""
        using SlimGen;
        using static SlimGen.Op;

        namespace Demo;

        [SlimModel(3, 32, 32)]
        [Conv2d(32, 3, Parameter = "width")]
        [Dropout(0.5, Parameter = "dropoutRate")]
        [FullyConnected(10, Scope = "logits")]
        public sealed partial class Net { }
        """, "Demo.Net.g.cs");

    /// <summary>A model file: usings, then a documented class <c>Net</c> with the attributes, unless they end with a class.</summary>
    private static string Model(string attributes) => $$"""
        using SlimGen;
        using static SlimGen.Op;

        /// <summary>A model.</summary>
        {{attributes}}
        {{(attributes.EndsWith("}", StringComparison.Ordinal) ? "" : "public partial class Net { }")}}
        """;

    private static string Describe(string id, TextSpan span, string source) =>
        span.IsEmpty ? id : $"{id} at '{source.Substring(span.Start, span.Length)}' ({span.Start})";

    /// <summary>Removes the markup <c>{|SLIMnnn:text|}</c> and returns each marked diagnostic as <see cref="Describe"/> writes it.</summary>
    private static (string Source, string[] Expected) Unmark(string marked)
    {
        const string Markup = @"\{\|(SLIM\d{3}):(.*?)\|\}";
        const int MarkupLength = 12; // "{|SLIMnnn:" and "|}"
        var source = Regex.Replace(marked, Markup, match => match.Groups[2].Value);
        var expected = Regex.Matches(marked, Markup)
            .Select((match, i) => Describe(match.Groups[1].Value, new TextSpan(match.Index - i * MarkupLength, match.Groups[2].Length), source))
            .ToArray();
        return (source, expected);
    }
}
