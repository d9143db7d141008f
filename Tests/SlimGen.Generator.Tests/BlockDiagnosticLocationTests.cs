using System.Threading.Tasks;
using Xunit;
using static SlimGen.Generator.Tests.SlimVerifier;

namespace SlimGen.Generator.Tests;

/// <summary>
/// The diagnostics of blocks, branches, residuals and variable sizes at their exact spans: a problem a use's arguments
/// cause sits on the use (in the model), a problem of the block alone on the block's attribute.
/// </summary>
public class BlockDiagnosticLocationTests
{
    private const string Unit = """
        [SlimBlock("depth")]
        [Residual(Activation = Act.Relu)]
        [Conv2d("depth", 3, Strided = true, Scope = "conv1")]
        [Conv2d("depth", 3, Activation = Act.None, Scope = "conv2")]
        public partial class Unit { }
        """;

    [Fact]
    public Task SLIM021_on_the_use_whose_arguments_change_the_shape() => VerifyAnalyzerAsync(Unit + """

        [SlimModel(8, 16, 16)]
        [Block(typeof(Unit), 8, Scope = "unit1")]
        [{|SLIM021:Repeat(2, typeof(Unit), 16, Scope = "stage")|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM031_on_Preactivation_when_the_first_layer_is_not_a_batch_norm() => VerifyAnalyzerAsync("""
        [SlimBlock("depth")]
        [Residual({|SLIM031:Preactivation = true|}, Shortcut = Shortcut.Projection)]
        [Conv2d("depth", 3)]
        public partial class Unit { }
        """);

    [Fact]
    public Task SLIM032_on_an_auxiliary_head_in_a_block() => VerifyAnalyzerAsync("""
        [SlimBlock]
        [Conv2d(8, 3)]
        [{|SLIM032:AuxHead(typeof(Head), 10, Scope = "AuxLogits")|}]
        public partial class Stage { }

        [SlimBlock("classes")]
        [GlobalAvgPool2d]
        [Conv2d("classes", 1, Activation = Act.None)]
        public partial class Head { }
        """);

    [Fact]
    public Task A_projection_shortcut_accepts_the_changed_shape() => VerifyAnalyzerAsync(Unit.Replace("[Residual(Activation", "[Residual(Shortcut = Shortcut.Projection, Activation") + """

        [SlimModel(8, 16, 16)]
        [Repeat(2, typeof(Unit), 16, Stride = 2, Scope = "stage")]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM022_on_the_use_and_SLIM027_on_a_group_never_closed() => VerifyAnalyzerAsync("""
        [SlimBlock]
        [Branch("a")]
        [Conv2d(4, 1)]
        [Branch("b")]
        [Conv2d(4, 3, Stride = 2)]
        [Concat]
        public partial class Mixed { }

        [SlimBlock]
        [{|SLIM027:Branch("a")|}]
        [Conv2d(4, 1)]
        public partial class Open { }

        [SlimModel(8, 16, 16)]
        [{|SLIM022:Block(typeof(Mixed))|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM023_on_the_expression_or_on_the_use_that_makes_it_invalid() => VerifyAnalyzerAsync("""
        [SlimBlock("depth")]
        [Conv2d({|SLIM023:"depth * width"|}, 1)]
        public partial class Bad { }

        [SlimBlock("depth")]
        [Conv2d("depth / 3", 1)]
        public partial class Third { }

        [SlimModel(8, 16, 16)]
        [{|SLIM023:Block(typeof(Third), 32)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM024_and_SLIM025_on_the_use() => VerifyAnalyzerAsync(Unit + """

        public class Helper { }

        [SlimModel(8, 16, 16)]
        [{|SLIM024:Block(typeof(Helper))|}]
        public partial class A { }

        [SlimModel(8, 16, 16)]
        [{|SLIM025:Block(typeof(Unit))|}]
        public partial class B { }
        """);

    [Fact]
    public Task SLIM025_on_a_stride_no_layer_takes() => VerifyAnalyzerAsync("""
        [SlimBlock]
        [Conv2d(8, 3)]
        public partial class Plain { }

        [SlimModel(8, 16, 16)]
        [{|SLIM025:Block(typeof(Plain), Stride = 2)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM026_on_block_constructs_in_a_model() => VerifyAnalyzerAsync("""
        [SlimModel(8, 16, 16)]
        [Conv2d(8, 3, {|SLIM026:Strided = true|})]
        [{|SLIM026:Branch("a")|}]
        [Conv2d({|SLIM026:"depth"|}, 3)]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM028_on_the_flatten_of_a_variable_size() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32, VariableSize = true)]
        [Conv2d(16, 3, Stride = 2)]
        [{|SLIM028:Flatten|}]
        [FullyConnected(10)]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM011_on_VariableSize_for_an_input_that_is_not_an_image() => VerifyAnalyzerAsync("""
        [SlimModel(16, {|SLIM011:VariableSize = true|})]
        [FullyConnected(10)]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM029_on_the_use_whose_width_the_groups_do_not_divide() => VerifyAnalyzerAsync("""
        [SlimBlock("width")]
        [Conv2d("width", 3, Groups = 32)]
        public partial class Grouped { }

        [SlimModel(64, 8, 8)]
        [Block(typeof(Grouped), 64, Scope = "ok")]
        [{|SLIM029:Block(typeof(Grouped), 48, Scope = "bad")|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM030_on_the_depthwise_layer_whose_multiplier_passes_int_at_the_blocks_own_constants() => VerifyAnalyzerAsync("""
        [SlimBlock]
        [Conv2d(8, 3)]
        [{|SLIM030:DepthwiseConv2d(3, Multiplier = 2147483647)|}]
        public partial class Wide { }
        """);

    [Fact]
    public Task SLIM030_on_the_block_use_whose_arguments_pass_int_and_none_on_the_block() => VerifyAnalyzerAsync("""
        [SlimBlock("width")]
        [Conv2d("width", 1)]
        [DepthwiseConv2d(3, Multiplier = 4)]
        public partial class Widening { }

        [SlimModel(3, 8, 8)]
        [Block(typeof(Widening), 64, Scope = "ok")]
        [{|SLIM030:Block(typeof(Widening), 1073741824, Scope = "bad")|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM030_on_the_layer_after_a_nested_block_whose_constant_arguments_fix_a_count_past_int() => VerifyAnalyzerAsync("""
        [SlimBlock("width")]
        [Conv2d("width", 1)]
        public partial class Inner { }

        [SlimBlock]
        [Block(typeof(Inner), 2147483647)]
        [{|SLIM030:DepthwiseConv2d(3, Multiplier = 2)|}]
        public partial class Outer { }
        """);

    [Fact]
    public Task SLIM030_on_a_blocks_concat_whose_branches_sum_past_int() => VerifyAnalyzerAsync("""
        [SlimBlock]
        [{|SLIM030:Branch("a")|}]
        [Conv2d(2147483647, 1)]
        [Branch("b")]
        [Conv2d(1, 1)]
        [Concat]
        public partial class Joined { }
        """);
}
