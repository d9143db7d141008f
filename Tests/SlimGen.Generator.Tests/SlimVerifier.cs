using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis.CodeFixes;
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

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<SlimModelAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        Configure(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task VerifyCodeFixAsync<TCodeFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<SlimModelAnalyzer, TCodeFix, DefaultVerifier>
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

    public static void Configure(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = NoPackages;
        // Markup names an id, and some ids have a descriptor per problem: the id, the place and the severity are checked.
        test.MarkupOptions = MarkupOptions.UseFirstDescriptor;
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        // As in a real project, which references the runtime and so TorchSharp, whose Module gives the reserved names.
        test.TestState.AdditionalReferences.Add(AttributesAssembly.Value);
        test.TestState.AdditionalReferences.Add(typeof(SlimGen.Layers.Conv2d).Assembly);
        test.TestState.AdditionalReferences.Add(typeof(TorchSharp.torch).Assembly);
    }
}
