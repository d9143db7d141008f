using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.Tests;

/// <summary>
/// Microsoft.CodeAnalysis.Testing set up offline: its ReferenceAssemblies.Net.* download packages at test time, so
/// the tests name a framework without packages and add .NET 10 and SlimGen.Attributes themselves.
/// </summary>
internal static class SlimVerifier
{
    /// <summary>What every test source starts with, so that test code shows only the model.</summary>
    public const string Usings = "using SlimGen;\nusing static SlimGen.Op;\n";

    /// <summary>Resolves to nothing, so nothing is downloaded.</summary>
    private static readonly ReferenceAssemblies NoPackages = new("net10.0");

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync<SlimModelAnalyzer>(source, expected);

    public static Task VerifyAnalyzerAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        Configure(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task VerifyCodeFixAsync<TCodeFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TCodeFix : CodeFixProvider, new() =>
        VerifyCodeFixAsync<SlimModelAnalyzer, TCodeFix>(source, fixedSource, expected);

    public static Task VerifyCodeFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
        };
        Configure(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>A diagnostic with its message arguments, for tests that check the text as well as the place.</summary>
    public static DiagnosticResult Diagnostic(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor) => new(descriptor);

    private static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = NoPackages;
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.Add(typeof(SlimModelAttribute).Assembly);
        // For models written beside `using static TorchSharp.torch.nn;` (SLIM020).
        test.TestState.AdditionalReferences.Add(typeof(TorchSharp.torch).Assembly);
    }
}
