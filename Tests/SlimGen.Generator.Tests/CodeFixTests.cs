using System.Threading.Tasks;
using SlimGen.Generator.CodeFixes;
using Xunit;
using static SlimGen.Generator.Tests.SlimVerifier;

namespace SlimGen.Generator.Tests;

/// <summary>Each code fix on the diagnostics it handles: the text it writes, and a model without the diagnostic afterwards.</summary>
public class CodeFixTests
{
    [Fact]
    public Task A_flatten_of_a_variable_size_gets_a_global_pool_before_it() => VerifyCodeFixAsync<InsertGlobalPoolCodeFixProvider>("""
        [SlimModel(3, 32, 32, VariableSize = true)]
        [Conv2d(16, 3, Stride = 2)]
        [{|SLIM028:Flatten|}]
        [FullyConnected(10)]
        public partial class Net { }
        """, """
        [SlimModel(3, 32, 32, VariableSize = true)]
        [Conv2d(16, 3, Stride = 2)]
        [GlobalAvgPool2d]
        [Flatten]
        [FullyConnected(10)]
        public partial class Net { }
        """);

    [Fact]
    public Task A_residual_add_of_different_shapes_gets_a_projection_shortcut_in_the_block() => VerifyCodeFixAsync<ProjectionShortcutCodeFixProvider>("""
        [SlimBlock("depth")]
        [Residual(Activation = Act.Relu)]
        [Conv2d("depth", 3, Strided = true)]
        public partial class Unit { }

        [SlimModel(8, 16, 16)]
        [{|SLIM021:Block(typeof(Unit), 16, Stride = 2)|}]
        public partial class Net { }
        """, """
        [SlimBlock("depth")]
        [Residual(Activation = Act.Relu, Shortcut = Shortcut.Projection)]
        [Conv2d("depth", 3, Strided = true)]
        public partial class Unit { }

        [SlimModel(8, 16, 16)]
        [Block(typeof(Unit), 16, Stride = 2)]
        public partial class Net { }
        """);

    [Fact]
    public Task Flatten_is_inserted_on_its_own_line_before_the_dense_layer() => VerifyCodeFixAsync<InsertFlattenCodeFixProvider>("""
        [SlimModel(3, 32, 32)]
        [Conv2d(8, 3)]
        [{|SLIM003:FullyConnected(10)|}]
        public partial class Net { }
        """, """
        [SlimModel(3, 32, 32)]
        [Conv2d(8, 3)]
        [Flatten]
        [FullyConnected(10)]
        public partial class Net { }
        """);

    [Fact]
    public Task Flatten_is_inserted_in_a_shared_list_and_on_a_shared_line() => VerifyCodeFixAsync<InsertFlattenCodeFixProvider>("""
        public partial class Outer
        {
            [SlimModel(3, 32, 32)]
            [Conv2d(8, 3), {|SLIM003:FullyConnected(10)|}]
            public partial class A { }

            [SlimModel(3, 32, 32)]
            [Conv2d(8, 3)] [{|SLIM003:Stack(FullyConnected, 64, 10)|}]
            public partial class B { }
        }
        """, """
        public partial class Outer
        {
            [SlimModel(3, 32, 32)]
            [Conv2d(8, 3), Flatten, FullyConnected(10)]
            public partial class A { }

            [SlimModel(3, 32, 32)]
            [Conv2d(8, 3)] [Flatten][Stack(FullyConnected, 64, 10)]
            public partial class B { }
        }
        """);

    [Fact]
    public Task Duplicate_scope_is_renamed_to_the_suggestion() => VerifyCodeFixAsync<UniqueScopeCodeFixProvider>("""
        [SlimModel(3, 32, 32)]
        [Repeat(2, Conv2d, 8, 3, Scope = "conv1")]
        [Repeat(2, Conv2d, 8, 3, {|SLIM004:Scope = "conv1"|})]
        [Conv2d(8, 3, Scope = "conv2")]
        [Conv2d(8, 3, Scope = "fc")]
        [Conv2d(8, 3, {|SLIM004:Scope = "fc"|})]
        public partial class Net { }
        """, """
        [SlimModel(3, 32, 32)]
        [Repeat(2, Conv2d, 8, 3, Scope = "conv1")]
        [Repeat(2, Conv2d, 8, 3, Scope = "conv3")]
        [Conv2d(8, 3, Scope = "conv2")]
        [Conv2d(8, 3, Scope = "fc")]
        [Conv2d(8, 3, Scope = "fc_1")]
        public partial class Net { }
        """);

    [Fact]
    public Task Valid_padding_is_switched_to_same() => VerifyCodeFixAsync<SamePaddingCodeFixProvider>("""
        [SlimModel(3, 5, 5)]
        [{|SLIM002:Conv2d(8, 7, Padding = Pad.Valid)|}]
        public partial class Net { }
        """, """
        [SlimModel(3, 5, 5)]
        [Conv2d(8, 7, Padding = Pad.Same)]
        public partial class Net { }
        """);

    [Fact]
    public Task Same_padding_is_added_when_valid_comes_from_a_scope_or_a_default() => VerifyCodeFixAsync<SamePaddingCodeFixProvider>("""
        [SlimModel(3, 5, 5)]
        [ArgScope(Conv2d, Padding = Pad.Valid)]
        [{|SLIM002:Conv2d(8, 7)|}]
        public partial class A { }

        [SlimModel(3, 1, 1)]
        [{|SLIM001:MaxPool2d(2, Scope = "pool5")|}]
        public partial class B { }
        """, """
        [SlimModel(3, 5, 5)]
        [ArgScope(Conv2d, Padding = Pad.Valid)]
        [Conv2d(8, 7, Padding = Pad.Same)]
        public partial class A { }

        [SlimModel(3, 1, 1)]
        [MaxPool2d(2, Scope = "pool5", Padding = Pad.Same)]
        public partial class B { }
        """);

    [Fact]
    public Task Key_that_does_not_apply_is_removed() => VerifyCodeFixAsync<RemoveKeyCodeFixProvider>("""
        [assembly: ArgScope(MaxPool2d, {|SLIM012:WeightDecay = 0.1|})]

        [SlimModel(3, 32, 32)]
        [ArgScope(MaxPool2d, {|SLIM012:Activation = Act.Tanh|}, Stride = 1)]
        [Repeat(2, MaxPool2d, 2, {|SLIM012:Activation = Act.Relu|})]
        public partial class Net { }
        """, """
        [assembly: ArgScope(MaxPool2d)]

        [SlimModel(3, 32, 32)]
        [ArgScope(MaxPool2d, Stride = 1)]
        [Repeat(2, MaxPool2d, 2)]
        public partial class Net { }
        """);

    [Fact]
    public Task Layer_that_does_nothing_is_removed_with_its_line() => VerifyCodeFixAsync<RemoveLayerCodeFixProvider>("""
        /// <summary>A model.</summary>
        [{|SLIM018:MaxPool2d(1, Stride = 1)|}]
        [SlimModel(3, 8, 8)]
        [Flatten]
        [{|SLIM018:Flatten|}]
        [FullyConnected(4)]
        public partial class Net { }
        """, """
        /// <summary>A model.</summary>
        [SlimModel(3, 8, 8)]
        [Flatten]
        [FullyConnected(4)]
        public partial class Net { }
        """);

    [Fact]
    public Task Dropout_rate_of_zero_gets_no_fix() => VerifyCodeFixAsync<RemoveLayerCodeFixProvider>("""
        [SlimModel(16)]
        [Dropout({|SLIM018:0|})]
        [FullyConnected(4)]
        public partial class Net { }
        """, """
        [SlimModel(16)]
        [Dropout({|SLIM018:0|})]
        [FullyConnected(4)]
        public partial class Net { }
        """);

    [Fact]
    public Task Partial_is_added_after_the_other_modifiers() => VerifyCodeFixAsync<AddPartialCodeFixProvider>("""
        [SlimModel(16)]
        [FullyConnected(4)]
        public sealed class {|SLIM007:A|} { }

        [SlimModel(16)]
        [FullyConnected(4)]
        class {|SLIM007:B|} { }
        """, """
        [SlimModel(16)]
        [FullyConnected(4)]
        public sealed partial class A { }

        [SlimModel(16)]
        [FullyConnected(4)]
        partial class B { }
        """);
    [Fact]
    public Task Channels_last_input_is_declared_channels_first() => VerifyCodeFixAsync<ChannelsFirstCodeFixProvider>("""
        [{|SLIM019:SlimModel(28, 28, 1, OutputShape = new[] { 10 })|}]
        [Conv2d(32, 5)]
        [MaxPool2d(2)]
        [Flatten]
        [FullyConnected(10, Activation = Act.None)]
        public partial class Net { }
        """, """
        [SlimModel(1, 28, 28, OutputShape = new[] { 10 })]
        [Conv2d(32, 5)]
        [MaxPool2d(2)]
        [Flatten]
        [FullyConnected(10, Activation = Act.None)]
        public partial class Net { }
        """);
}
