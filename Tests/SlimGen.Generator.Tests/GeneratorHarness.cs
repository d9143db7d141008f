using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>Drives <see cref="SlimModelGenerator"/> over in-memory sources, offline.</summary>
internal static class GeneratorHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>As a project with GenerateDocumentationFile: XML comments are checked, public members need one.</summary>
    public static readonly CSharpParseOptions Documented = ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);

    /// <summary>.NET 10 reference assemblies plus the SlimGen attributes, runtime and TorchSharp.</summary>
    public static readonly ImmutableArray<MetadataReference> References = Net100.References.All
        .Concat(new[]
        {
            AttributesAssembly.Value.Location,
            typeof(SlimGen.Layers.Conv2d).Assembly.Location,
            typeof(TorchSharp.torch).Assembly.Location,
        }.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)))
        .ToImmutableArray();

    public static CSharpCompilation Compile(params string[] sources) => Compile(ParseOptions, sources);

    public static CSharpCompilation Compile(CSharpParseOptions parseOptions, params string[] sources) =>
        CSharpCompilation.Create(
            "UserModels",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"Model{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(AssemblyUnificationWarnings));

    // The SDK silences these too: the runtime was built against a newer patch of the framework than the reference pack.
    private static readonly Dictionary<string, ReportDiagnostic> AssemblyUnificationWarnings = new()
    {
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    };

    public static GeneratorDriver CreateDriver(bool trackSteps = false, CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new SlimModelGenerator().AsSourceGenerator() },
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator and returns its result and the compilation that includes its output.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(params string[] sources) => Run(ParseOptions, sources);

    public static (GeneratorRunResult Result, Compilation Output) Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        var driver = CreateDriver(parseOptions: parseOptions).RunGeneratorsAndUpdateCompilation(Compile(parseOptions, sources), out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return (result, output);
    }

    /// <summary>What <see cref="Diagnostics.OpNameGenerator"/> reports for a compilation (SLIM020).</summary>
    public static ImmutableArray<Diagnostic> OpNameDiagnostics(Compilation compilation)
    {
        var driver = CSharpGeneratorDriver.Create(new[] { new Diagnostics.OpNameGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        return diagnostics;
    }

    /// <summary>The generated text for one model, by hint name.</summary>
    public static string Generated(GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>
    /// Runs <see cref="Diagnostics.SlimModelAnalyzer"/> as the compiler would, but with its exceptions surfaced: the
    /// compiler would turn them into AD0001 warnings, which a test could miss. With
    /// <paramref name="withCompilerDiagnostics"/>, the compiler's own diagnostics come in the same pass.
    /// </summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, bool withCompilerDiagnostics = false)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var analysis = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Diagnostics.SlimModelAnalyzer()), options);
        var diagnostics = (withCompilerDiagnostics ? analysis.GetAllDiagnosticsAsync() : analysis.GetAnalyzerDiagnosticsAsync()).GetAwaiter().GetResult();
        Assert.True(exceptions.IsEmpty, "The analyzer threw: " + string.Join("\n", exceptions));
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    /// <summary>Every error or warning of a compilation, formatted for an assertion message.</summary>
    public static IReadOnlyList<string> Problems(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
}
