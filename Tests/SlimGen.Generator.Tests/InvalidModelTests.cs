using System.Linq;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// Invalid and half-typed models: the generator stays alive (no exception) and adds no error of its own, and the
/// parser or the shape inference names the problem and where it is. A model with SLIM errors gets members that throw
/// them (see <see cref="BrokenModelTests"/>); a class that cannot take members, and half-typed code, get nothing.
/// </summary>
public class InvalidModelTests
{
    private static string Model(string attributes, string input = "3, 32, 32", string declaration = "public partial class Net { }") => $$"""
        using SlimGen;
        using static SlimGen.Op;
        [SlimModel({{input}})]
        {{attributes}}
        {{declaration}}
        """;

    [Theory]
    [InlineData("[Conv2d(8, 3)][MaxPool2d(2)][MaxPool2d(2)][MaxPool2d(2)][MaxPool2d(2)][MaxPool2d(2)][MaxPool2d(2)]", "3, 32, 32", "SLIM001@Layer#6:")]
    [InlineData("[Conv2d(8, 7, Padding = Pad.Valid)]", "3, 5, 5", "SLIM002@Layer#0:")]
    [InlineData("[Conv2d(8, 3)][FullyConnected(10)]", "3, 32, 32", "SLIM003@Layer#1:")]
    [InlineData("[Conv2d(8, 3, Scope = \"a\")][Conv2d(8, 3, Scope = \"a\")]", "3, 32, 32", "SLIM004@Layer#1:Scope")]
    [InlineData("[Repeat(2, Conv2d, 8, 3, Scope = \"c\")][Conv2d(8, 3, Scope = \"c_2\")]", "3, 32, 32", "SLIM004@Layer#1:Scope")]
    [InlineData("[Conv2d(0, 3)]", "3, 32, 32", "SLIM005@Layer#0:#0")]
    [InlineData("[Conv2d(8, -1)]", "3, 32, 32", "SLIM005@Layer#0:#1")]
    [InlineData("[Conv2d(8, 3, Stride = 0)]", "3, 32, 32", "SLIM005@Layer#0:Stride")]
    [InlineData("[Dropout(1.0)]", "16", "SLIM005@Layer#0:#0")]
    [InlineData("[Repeat(0, Conv2d, 8, 3)]", "3, 32, 32", "SLIM005@Layer#0:#0")]
    [InlineData("[FullyConnected(4, BiasInit = Init.HeNormal)]", "16", "SLIM005@Layer#0:BiasInit")] // found by running RandomizedModelTests' models
    [InlineData("[Conv2d(8, 3, BiasInit = Init.Xavier)]", "3, 32, 32", "SLIM005@Layer#0:BiasInit")]
    [InlineData("[Conv2d(8, 3)]", "", "SLIM006@ModelAttribute#0:")]
    [InlineData("[Conv2d(8, 3)]", "3, 0, 32", "SLIM006@ModelAttribute#0:#1")]
    [InlineData("[Conv2d(8, 3, Scope = \"conv-1\")]", "3, 32, 32", "SLIM010@Layer#0:Scope")]
    [InlineData("[Conv2d(8, 3, Scope = \"forward\")]", "3, 32, 32", "SLIM010@Layer#0:Scope")]
    [InlineData("[Flatten][Conv2d(8, 3)]", "3, 32, 32", "SLIM011@Layer#1:")]
    [InlineData("[Conv2d(8, 3)]", "16", "SLIM011@Layer#0:")]
    [InlineData("[Repeat(2, Conv2d, 8)]", "3, 32, 32", "SLIM016@Layer#0:")]
    [InlineData("[Stack(Conv2d, 8, 16)]", "3, 32, 32", "SLIM016@Layer#0:")]
    [InlineData("[Stack(Dropout, 1)]", "16", "SLIM016@Layer#0:")]
    [InlineData("[Stack(FullyConnected, new int[0])]", "16", "SLIM016@Layer#0:")]
    [InlineData("[FullyConnected(10, Parameter = \"n\")][FullyConnected(20, Parameter = \"n\")]", "16", "SLIM014@Layer#1:Parameter")]
    [InlineData("[Conv2d(8, 3)][DepthwiseConv2d(3, Multiplier = 268435456)]", "3, 32, 32", "SLIM030@Layer#1:")] // found by RandomizedModelTests
    public void Invalid_model_is_reported_and_its_members_throw(string layers, string input, string expected)
    {
        var source = Model(layers, input);

        Assert.Contains(expected, ModelAnalysis.Diagnostics(source));
        AssertMembersThrow(source);
    }

    private static void AssertMembersThrow(string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Contains("new global::SlimGen.InvalidModelException(", Assert.Single(result.GeneratedSources).SourceText.ToString());
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Theory]
    [InlineData("public class Net { }", "SLIM007@Class#0:")]
    [InlineData("public partial class Net<T> { }", "SLIM008@Class#0:")]
    [InlineData("public abstract partial class Net { }", "SLIM008@Class#0:")]
    public void Unsupported_class_is_reported_and_not_generated(string declaration, string expected)
    {
        var source = Model("[FullyConnected(4)]", "16", declaration);

        Assert.Contains(expected, ModelAnalysis.Diagnostics(source));
        var (result, _) = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratedSources);
    }

    /// <summary>RandomizedModelTests' seed 46lBt4fDK_T2: the block's constructor would have computed 8 * 2147483647, which C# refuses.</summary>
    [Fact]
    public void Block_whose_constants_fix_a_channel_count_past_int_is_reported_there_and_at_its_use_and_not_written()
    {
        var source = """
            using SlimGen;
            using static SlimGen.Op;
            [SlimBlock("depth")]
            [Residual(Shortcut = Shortcut.Projection)]
            [Conv2d(8, 3)]
            [DepthwiseConv2d(3, Multiplier = 2147483647)]
            [Conv2d("in", 1)]
            public partial class Unit { }
            [SlimModel(3, 16, 16)]
            [Block(typeof(Unit), 4, Scope = "unit")]
            public partial class Net { }
            """;

        Assert.Contains("SLIM030@Layer#0:", ModelAnalysis.Diagnostics(source));
        var (result, output) = GeneratorHarness.Run(source);
        // One on the block's depthwise layer, one on the model's use.
        Assert.Equal(2, GeneratorHarness.Analyze(output).Count(d => d.Id == "SLIM030"));
        Assert.Contains("new global::SlimGen.InvalidModelException(", Assert.Single(result.GeneratedSources).SourceText.ToString());
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Model_nested_in_a_non_partial_class_is_reported_and_not_generated()
    {
        var source = "using SlimGen; public class Outer { [SlimModel(16)] [FullyConnected(4)] public partial class Net { } }";

        Assert.Contains("SLIM008@Class#0:", ModelAnalysis.Diagnostics(source));
        var (result, _) = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Declared_output_shape_is_checked()
    {
        var source = Model("[FullyConnected(4)]", "16, OutputShape = new[] { 5 }");

        Assert.Contains("SLIM017@ModelAttribute#0:OutputShape", ModelAnalysis.Diagnostics(source));
    }

    [Fact]
    public void Model_without_layers_is_reported()
    {
        Assert.Contains("SLIM015@Class#0:", ModelAnalysis.Diagnostics(Model("", "16")));
    }

    [Theory]
    [InlineData("[Conv2d(2147483647, 2147483647, Padding = Pad.Valid)]", "2147483647, 2147483647, 2147483647")]
    [InlineData("[Flatten][FullyConnected(2147483647)][FullyConnected(2147483647)][FullyConnected(2147483647)]", "2147483647, 2147483647, 2147483647")]
    public void Sizes_past_int64_are_diagnostics_not_crashes(string layers, string input)
    {
        Assert.Contains(ModelAnalysis.Diagnostics(Model(layers, input)), d => d.StartsWith("SLIM013"));
        AssertMembersThrow(Model(layers, input));
    }

    [Theory]
    [InlineData("[Conv2d(8, ")]
    [InlineData("[Conv2d(8, 3, Scope = )]")]
    [InlineData("[Repeat(2, Conv2d, 8, 3, Scope = \"c\"")]
    [InlineData("[Repeat(2, Conv3d, 8, 3)]")]
    [InlineData("[Conv2d(3.5, 3)]")]
    [InlineData("[Dropout(0.5, Parameter = 3)]")]
    [InlineData("[Conv2d(8, 3)] [")]
    public void Half_typed_code_produces_nothing_and_never_throws(string layers)
    {
        var (result, _) = GeneratorHarness.Run(Model(layers));
        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("namespace )Zoo.Models;\n[SlimModel(16)][FullyConnected(4)] public partial class Net { }")]
    [InlineData("[SlimModel(16)][FullyConnected(4)] public partial class { }")]
    [InlineData("public partial class Outer<{ [SlimModel(16)][FullyConnected(4)] public partial class Net { } }")]
    [InlineData("[SlimModel(16)][FullyConnected(4)] public partial class Net : System.IDisposa { }")]
    [InlineData("[SlimModel(16)][FullyConnected(4)] public partial class Net ({ }")]
    public void Half_typed_names_and_bases_around_the_model_produce_nothing(string model)
    {
        // Found by RandomizedModelTests: the generated half would repeat the broken name and add errors of its own.
        var (result, _) = GeneratorHarness.Run("using SlimGen;\n" + model);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Warnings_do_not_block_generation()
    {
        var source = Model("[ArgScope(MaxPool2d, Activation = Act.Tanh)][Dropout(0)][FullyConnected(4)]", "16");

        var diagnostics = ModelAnalysis.Diagnostics(source);
        Assert.Contains("SLIM012@ArgScope#0:Activation", diagnostics);
        Assert.Contains("SLIM018@Layer#0:#0", diagnostics);
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Single(result.GeneratedSources);
        Assert.Empty(GeneratorHarness.Problems(output));
        // The generated half marks the class [GeneratedCode]; the analyzer, which skips generated code, still sees the model.
        Assert.Equal(["SLIM012", "SLIM018"], GeneratorHarness.Analyze(output).Select(d => d.Id).OrderBy(id => id));
    }
}
