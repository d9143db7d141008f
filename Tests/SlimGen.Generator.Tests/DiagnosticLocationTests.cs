using System.Threading.Tasks;
using SlimGen.Generator.Diagnostics;
using Xunit;
using static SlimGen.Generator.Tests.SlimVerifier;

namespace SlimGen.Generator.Tests;

/// <summary>
/// Every diagnostic id at its exact span (markup <c>{|SLIMnnn:...|}</c>), as the IDE underlines it, and nothing
/// else: the test fails on any diagnostic the markup does not name. A few also check the message.
/// </summary>
public class DiagnosticLocationTests
{
    [Fact]
    public Task SLIM001_on_the_pool_that_shrinks_to_zero() => VerifyAnalyzerAsync("""
        [SlimModel(3, 8, 8)]
        [Conv2d(8, 3)]
        [MaxPool2d(2)]
        [MaxPool2d(2)]
        [MaxPool2d(2)]
        [{|SLIM001:MaxPool2d(2, Scope = "pool4")|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM001_message_names_the_shapes_and_the_fixes() => VerifyAnalyzerAsync("""
        [SlimModel(512, 1, 1)]
        [MaxPool2d(2, Scope = "pool5")]
        public partial class Net { }
        """,
        Diagnostic(DiagnosticDescriptors.SpatialSizeBelowOne).WithSpan(4, 2, 4, 31).WithArguments("pool5", "0x0", "[512, 1, 1]", "2", "2", "1"));

    [Fact]
    public Task SLIM002_on_the_convolution() => VerifyAnalyzerAsync("""
        [SlimModel(3, 5, 5)]
        [{|SLIM002:Conv2d(8, 7, Padding = Pad.Valid)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM002_when_the_valid_padding_comes_from_an_arg_scope() => VerifyAnalyzerAsync("""
        [SlimModel(3, 5, 5)]
        [ArgScope(Conv2d, Padding = Pad.Valid)]
        [Repeat(2, Conv2d, 8, 3, Scope = "conv1")]
        [{|SLIM002:Conv2d(8, 3)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM003_on_the_dense_layer() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Conv2d(8, 3)]
        [{|SLIM003:FullyConnected(10)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM003_on_a_stack_of_dense_layers() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Conv2d(8, 3)]
        [{|SLIM003:Stack(FullyConnected, 64, 10, Scope = "fc")|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM004_on_the_second_scope_with_a_free_suggestion() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Conv2d(8, 3, Scope = "a")]
        [Conv2d(8, 3, Scope = "a_1")]
        [Conv2d(8, 3, Scope = "a")]
        public partial class Net { }
        """,
        Diagnostic(DiagnosticDescriptors.DuplicateScope).WithSpan(6, 15, 6, 26).WithArguments("a", "layer 'a' uses it", "a_2"));

    [Fact]
    public Task SLIM004_when_a_repeat_needs_a_taken_name() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Conv2d(8, 3, Scope = "conv1_2")]
        [Repeat(2, Conv2d, 8, 3, Scope = "conv1")]
        public partial class Net { }
        """,
        Diagnostic(DiagnosticDescriptors.DuplicateScope).WithSpan(5, 26, 5, 41)
            .WithArguments("conv1", "its layer 'conv1/conv1_2' needs the name 'conv1_2', which layer 'conv1_2' uses", "conv2"));

    [Fact]
    public Task SLIM005_on_each_kind_of_number() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        [FullyConnected({|SLIM005:0|})]
        [Dropout({|SLIM005:1.0|})]
        [BatchNorm({|SLIM005:Epsilon = 0|})]
        [Repeat({|SLIM005:0|}, FullyConnected, 8)]
        [FullyConnected(8, {|SLIM005:WeightDecay = -1|})]
        [FullyConnected(8, {|SLIM005:Activation = (Act)42|})]
        [FullyConnected(8, {|SLIM005:BiasInit = Init.XavierNormal|})]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM005_on_the_kernel_and_the_stride() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Conv2d(8, {|SLIM005:-1|})]
        [MaxPool2d(2, {|SLIM005:Stride = 0|})]
        [Stack(MaxPool2d, 2, {|SLIM005:0|})]
        [Repeat(2, {|SLIM005:(Op)42|}, 8)]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM005_in_a_reusable_scope_is_reported_where_it_is_declared() => VerifyAnalyzerAsync("""
        [ArgScope(Conv2d, {|SLIM005:Stride = 0|}, {|SLIM005:BiasInit = Init.HeUniform|})]
        public sealed class Scopes { }

        [SlimModel(3, 32, 32)]
        [UseArgScope(typeof(Scopes))]
        [Conv2d(8, 3)]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM006_on_the_model_attribute_or_the_bad_dimension() => VerifyAnalyzerAsync("""
        [{|SLIM006:SlimModel|}]
        [Conv2d(8, 3)]
        public partial class A { }

        [SlimModel(3, {|SLIM006:0|}, 32)]
        [Conv2d(8, 3)]
        public partial class B { }
        """);

    [Fact]
    public Task SLIM007_on_the_class_name() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        [FullyConnected(4)]
        public class {|SLIM007:Net|} { }
        """);

    [Fact]
    public Task SLIM008_on_the_class_name() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        [FullyConnected(4)]
        public partial class {|SLIM008:Generic|}<T> { }

        [SlimModel(16)]
        [FullyConnected(4)]
        public abstract partial class {|SLIM008:Abstract|} { }

        [SlimModel(16)]
        [FullyConnected(4)]
        public partial record {|SLIM008:Record|};

        [SlimModel(16)]
        [FullyConnected(4)]
        public partial class {|SLIM008:WrongBase|} : System.Exception { }

        [SlimModel(16)]
        [FullyConnected(4)]
        public partial class {|SLIM008:WithPrimaryConstructor|}(int width) { }

        public class Outer
        {
            [SlimModel(16)]
            [FullyConnected(4)]
            public partial class {|SLIM008:Nested|} { }
        }
        """);

    [Fact]
    public Task SLIM009_on_the_attribute_of_the_other_declaration() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        [FullyConnected(4)]
        public partial class Net { }

        [{|SLIM009:FullyConnected(2)|}]
        [{|SLIM009:ArgScope(FullyConnected, Activation = Act.Tanh)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM010_on_the_scope_or_the_parameter() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        [FullyConnected(4, {|SLIM010:Scope = "fc-1"|})]
        [FullyConnected(4, Scope = "class")]
        [FullyConnected(4, {|SLIM010:Scope = "forward"|})]
        [FullyConnected(4, {|SLIM010:Scope = "named_children"|})]
        [FullyConnected(4, {|SLIM010:Scope = "ToString"|})]
        [FullyConnected(4, {|SLIM010:Scope = "Net"|})]
        [FullyConnected(4, {|SLIM010:Parameter = "device"|})]
        [FullyConnected(4, {|SLIM010:Parameter = "out"|})]
        [FullyConnected(4, Scope = "logits", {|SLIM010:Parameter = "logits"|})]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM010_on_a_scope_named_like_a_member_of_the_declared_base_class() => VerifyAnalyzerAsync("""
        public class Backbone : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
        {
            protected Backbone(string name = "Backbone") : base(name) { }
            public int head;
            public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;
        }

        [SlimModel(16)]
        [FullyConnected(4, {|SLIM010:Scope = "head"|})]
        [FullyConnected(4, Scope = "logits")]
        public partial class Net : Backbone { }
        """);

    [Fact]
    public Task SLIM011_on_the_layer_that_needs_another_rank() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Flatten]
        [{|SLIM011:Conv2d(8, 3)|}]
        public partial class A { }

        [SlimModel(224, 224)]
        [{|SLIM011:MaxPool2d(2)|}]
        public partial class B { }
        """);

    [Fact]
    public Task SLIM012_on_the_key_in_a_model_a_reusable_scope_and_the_assembly() => VerifyAnalyzerAsync("""
        [assembly: ArgScope(MaxPool2d, {|SLIM012:WeightDecay = 0.1|})]

        [ArgScope(Flatten, {|SLIM012:Activation = Act.Relu|})]
        public sealed class Scopes { }

        [SlimModel(3, 32, 32)]
        [UseArgScope(typeof(Scopes))]
        [ArgScope(MaxPool2d, AvgPool2d, {|SLIM012:Activation = Act.Tanh|})]
        [Repeat(2, MaxPool2d, 2, {|SLIM012:Activation = Act.Relu|}, {|SLIM012:Parameter = "p"|})]
        [Stack(AvgPool2d, {|SLIM018:1|}, {|SLIM018:1|}, Stride = 1, {|SLIM012:Kernel = 3|})]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM013_on_the_input_or_the_layer_past_int64() => VerifyAnalyzerAsync("""
        [{|SLIM013:SlimModel(2147483647, 2147483647, 2147483647)|}]
        [Conv2d(8, 3)]
        public partial class A { }

        [SlimModel(2147483647, 1, 1)]
        [{|SLIM013:Conv2d(2147483647, 3)|}]
        public partial class B { }

        [SlimModel(2147483647)]
        [FullyConnected(2147483647)]
        [FullyConnected(2147483647)]
        [{|SLIM013:FullyConnected(2147483647)|}]
        public partial class C { }
        """);

    [Fact]
    public Task SLIM014_on_the_second_parameter() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        [FullyConnected(10, Parameter = "n")]
        [FullyConnected(20, {|SLIM014:Parameter = "n"|})]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM015_on_the_class_name() => VerifyAnalyzerAsync("""
        [SlimModel(16)]
        public partial class {|SLIM015:Net|} { }
        """);

    [Fact]
    public Task SLIM016_on_the_repeat_or_stack() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [{|SLIM016:Repeat(2, Conv2d, 8)|}]
        [{|SLIM016:Stack(Conv2d, 8, 16)|}]
        [{|SLIM016:Stack(Dropout, 1)|}]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM017_on_the_declared_output_shape() => VerifyAnalyzerAsync("""
        [SlimModel(16, {|SLIM017:OutputShape = new[] { 5 }|})]
        [FullyConnected(4)]
        public partial class Net { }
        """);

    [Fact]
    public Task SLIM018_on_the_layer_or_the_value_that_does_nothing() => VerifyAnalyzerAsync("""
        [SlimModel(3, 8, 8)]
        [{|SLIM018:MaxPool2d(1, Stride = 1)|}]
        [Stack(MaxPool2d, {|SLIM018:1|}, 2, Stride = 1)]
        [Flatten]
        [{|SLIM018:Flatten|}]
        [Dropout({|SLIM018:0|})]
        [Dropout(0, Parameter = "rate")]
        [FullyConnected(4)]
        public partial class Net { }
        """);

    [Fact]
    public Task Positions_follow_named_constructor_arguments() => VerifyAnalyzerAsync("""
        [SlimModel(3, 32, 32)]
        [Conv2d(kernel: 3, {|SLIM005:filters: 0|})]
        public partial class Net { }
        """);
    [Fact]
    public Task SLIM019_on_the_model_attribute_for_a_channels_last_input_that_collapses() => VerifyAnalyzerAsync("""
        [{|SLIM019:SlimModel(28, 28, 1)|}]
        [Conv2d(32, 5, Scope = "conv1")]
        [MaxPool2d(2, Scope = "pool1")]
        [Flatten]
        [FullyConnected(10)]
        public partial class Gray { }

        [{|SLIM019:SlimModel(32, 32, 3)|}]
        [Conv2d(16, 5, Padding = Pad.Valid)]
        public partial class Rgb { }
        """);

    [Fact]
    public Task SLIM019_message_gives_the_channels_first_declaration() => VerifyAnalyzerAsync("""
        [SlimModel(28, 28, 1)]
        [MaxPool2d(2)]
        public partial class Net { }
        """,
        Diagnostic(DiagnosticDescriptors.ChannelsLastInput).WithSpan(3, 2, 3, 22).WithArguments("Net", "[28, 28, 1]", "1, 28, 28"));

    [Fact]
    public Task SLIM019_not_for_channels_last_looking_inputs_that_work_or_other_collapses() => VerifyAnalyzerAsync("""
        // Legal as channels-first: 28 channels of 28x1 (perhaps deliberate); nothing collapses.
        [SlimModel(28, 28, 1)]
        [Conv2d(8, 1)]
        [Flatten]
        [FullyConnected(10)]
        public partial class Works { }

        // Channels-first already: the collapse is the pool's, SLIM001 as usual.
        [SlimModel(1, 2, 2)]
        [MaxPool2d(2)]
        [{|SLIM001:MaxPool2d(2)|}]
        public partial class Small { }
        """);
}
