using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using SlimGen.Generator.CodeFixes;
using SlimGen.Generator.Diagnostics;
using Xunit;
using static SlimGen.Generator.Tests.SlimVerifier;

namespace SlimGen.Generator.Tests;

/// <summary>
/// SLIM020 and its fix: with <c>using static TorchSharp.torch.nn;</c> beside <c>using static SlimGen.Op;</c>, a bare
/// <c>Conv2d</c> in an attribute binds to TorchSharp's method and the compiler reports only CS1503.
/// </summary>
public class OpNameTests
{
    private const string TorchUsing = "using static TorchSharp.torch.nn;\n";

    [Fact]
    public Task SLIM020_on_each_hidden_layer_kind_beside_the_compilers_CS1503() => VerifyAnalyzerAsync<OpNameAnalyzer>(TorchUsing + """
        [SlimModel(3, 32, 32)]
        [ArgScope({|#0:Conv2d|}, FullyConnected, Activation = Act.Relu)]
        [Repeat(2, {|#1:Conv2d|}, 16, 3, Scope = "conv1")]
        [Flatten]
        [FullyConnected(10)]
        public partial class Net { }
        """,
        Diagnostic(DiagnosticDescriptors.OpNameHidden).WithLocation(0).WithArguments("Conv2d", "TorchSharp.torch.nn.Conv2d"),
        DiagnosticResult.CompilerError("CS1503").WithLocation(0).WithArguments("1", "method group", "SlimGen.Op"),
        Diagnostic(DiagnosticDescriptors.OpNameHidden).WithLocation(1).WithArguments("Conv2d", "TorchSharp.torch.nn.Conv2d"),
        DiagnosticResult.CompilerError("CS1503").WithLocation(1).WithArguments("2", "method group", "SlimGen.Op"));

    [Fact]
    public Task Qualified_or_unhidden_layer_kinds_and_other_arguments_are_left_alone() => VerifyAnalyzerAsync<OpNameAnalyzer>(TorchUsing + """
        public static class Sizes { public const int Flatten = 10; }

        [SlimModel(3, 32, 32)]
        [ArgScope(Op.Conv2d, FullyConnected, Activation = Act.Relu)]
        [Conv2d(16, 3, Scope = "conv1")]
        [Flatten]
        [FullyConnected(Sizes.Flatten)]
        public partial class Net { }
        """);

    [Fact]
    public Task Code_fix_writes_Op_dot_the_layer_kind() => VerifyCodeFixAsync<OpNameAnalyzer, QualifyOpCodeFixProvider>(TorchUsing + """
        [SlimModel(3, 32, 32)]
        [ArgScope({|CS1503:{|SLIM020:Conv2d|}|}, FullyConnected, Activation = Act.Relu)]
        [Flatten]
        [FullyConnected(10)]
        public partial class Net { }
        """, TorchUsing + """
        [SlimModel(3, 32, 32)]
        [ArgScope(Op.Conv2d, FullyConnected, Activation = Act.Relu)]
        [Flatten]
        [FullyConnected(10)]
        public partial class Net { }
        """);
}
