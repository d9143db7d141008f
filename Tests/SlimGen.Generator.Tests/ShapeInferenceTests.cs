using System.Linq;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>Compile-time shapes, parameters and MACs, checked against hand-computed values.</summary>
public class ShapeInferenceTests
{
    private static long[][] OutputShapes(string layers, string input = "3, 224, 224")
    {
        var source = $$"""
            using SlimGen;
            using static SlimGen.Op;
            [SlimModel({{input}})]
            {{layers}}
            public partial class Net { }
            """;
        var (parse, shapes) = ModelAnalysis.Analyze(source, "Net");
        Assert.Empty(parse.Diagnostics);
        Assert.NotNull(shapes);
        Assert.True(shapes!.IsValid, string.Join("; ", shapes.Diagnostics));
        return shapes.Layers.Select(l => l.Output.Select(d => d.Value).ToArray()).ToArray();
    }

    [Theory]
    // TF SAME: ceil(in / stride), whatever the kernel.
    [InlineData("[Conv2d(8, 3)]", "3, 224, 224", new long[] { 8, 224, 224 })]
    [InlineData("[Conv2d(8, 3, Stride = 2)]", "3, 224, 224", new long[] { 8, 112, 112 })]
    [InlineData("[Conv2d(8, 5, Stride = 2)]", "3, 15, 14", new long[] { 8, 8, 7 })]
    [InlineData("[Conv2d(8, 4)]", "3, 7, 7", new long[] { 8, 7, 7 })]
    // VALID: floor((in - k) / s) + 1.
    [InlineData("[Conv2d(8, 3, Padding = Pad.Valid)]", "3, 5, 6", new long[] { 8, 3, 4 })]
    [InlineData("[Conv2d(8, 3, Stride = 2, Padding = Pad.Valid)]", "3, 8, 7", new long[] { 8, 3, 3 })]
    // Pools default to stride 2 and VALID, as in TF-Slim.
    [InlineData("[MaxPool2d(2)]", "4, 7, 7", new long[] { 4, 3, 3 })]
    [InlineData("[MaxPool2d(3, Padding = Pad.Same)]", "4, 7, 7", new long[] { 4, 4, 4 })]
    [InlineData("[AvgPool2d(3, Stride = 1)]", "4, 7, 7", new long[] { 4, 5, 5 })]
    [InlineData("[Flatten]", "4, 7, 7", new long[] { 196 })]
    [InlineData("[BatchNorm]", "4, 7, 7", new long[] { 4, 7, 7 })]
    [InlineData("[FullyConnected(5)]", "16", new long[] { 5 })]
    public void Layer_output_shapes_follow_tensorflow(string layer, string input, long[] expected)
    {
        Assert.Equal(expected, OutputShapes(layer, input).Last());
    }

    [Fact]
    public void Repeat_and_stack_unroll_with_tf_slim_names()
    {
        var source = """
            using SlimGen;
            using static SlimGen.Op;
            [SlimModel(3, 8, 8)]
            [Repeat(2, Conv2d, 4, 3, Scope = "conv1")]
            [Conv2d(4, 1)]
            [Conv2d(4, 1)]
            [Flatten]
            [Stack(FullyConnected, 32, 16, Scope = "fc")]
            public partial class Net { }
            """;
        var (parse, _) = ModelAnalysis.Analyze(source, "Net");
        Assert.Equal(
            new[] { "conv1/conv1_1", "conv1/conv1_2", "conv2d", "conv2d_1", "flatten", "fc/fc_1", "fc/fc_2" },
            parse.Spec!.Layers.Select(l => l.Path));
    }

    [Fact]
    public void Vgg16_totals_match_the_published_figures()
    {
        var (_, shapes) = ModelAnalysis.Analyze(TestModels.ZooVgg, "Vgg16");

        Assert.Equal(138_357_544, shapes!.TotalParameters);
        // 15.47 GMACs per 224x224 image, the figure torchvision and the VGG paper's successors quote.
        Assert.Equal(15_470_264_320, shapes.TotalMacs);
        Assert.Equal(new long[] { 512, 7, 7 }, shapes.Layers[17].Output.Select(d => d.Value));
        Assert.Equal(new long[] { 1000 }, shapes.Layers.Last().Output.Select(d => d.Value));
    }

    [Fact]
    public void Conv_parameters_and_macs_are_hand_computed()
    {
        var (_, shapes) = ModelAnalysis.Analyze("""
            using SlimGen;
            [SlimModel(3, 10, 10)]
            [Conv2d(8, 3, Stride = 2)]
            [Conv2d(4, 3, Normalizer = Norm.BatchNorm)]
            [Conv2d(2, 1, UseBias = false)]
            public partial class Net { }
            """, "Net");
        // 3*3*3*8 + 8 = 224 parameters; 5*5 outputs * 8 filters * 27 = 5400 MACs.
        Assert.Equal((224L, 5400L), (shapes!.Layers[0].Parameters, shapes.Layers[0].Macs));
        // With a normalizer: no bias, gamma and beta instead: 3*3*8*4 + 2*4.
        Assert.Equal(296L, shapes.Layers[1].Parameters);
        Assert.Equal(8L, shapes.Layers[2].Parameters);
    }

    [Fact]
    public void Parameter_dimensions_flow_into_later_layers()
    {
        var (_, shapes) = ModelAnalysis.Analyze("""
            using SlimGen;
            [SlimModel(1, 4, 4)]
            [Conv2d(6, 3, Parameter = "width")]
            [Flatten]
            [FullyConnected(10)]
            public partial class Net { }
            """, "Net");
        Assert.Equal("width * 16", shapes!.Layers[2].Input[0].Code);
        Assert.Equal(96, shapes.Layers[2].Input[0].Value);
    }
}
