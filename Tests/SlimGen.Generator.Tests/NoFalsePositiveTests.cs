using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// Correct models produce no diagnostics at all: every file of the repository that declares a model (the zoo, the
/// samples), read as it is now, gets its models generated and not one SLIM diagnostic, not even a warning.
/// </summary>
public class NoFalsePositiveTests
{
    public static TheoryData<string> ModelFiles() => new(FindModelFiles());

    private static IEnumerable<string> FindModelFiles()
    {
        var root = TestModels.RepositoryRoot();
        return new[] { "Runtime", "Samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Where(path => File.ReadAllText(path).Contains("[SlimModel("))
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(path => path, System.StringComparer.Ordinal);
    }

    [Fact]
    public void The_zoo_and_the_samples_are_found()
    {
        var files = FindModelFiles().ToList();
        Assert.Contains("Runtime/Zoo/Vgg.cs", files);
        Assert.Contains(files, file => file.StartsWith("Samples/", System.StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ModelFiles))]
    public void Model_file_is_generated_without_any_diagnostic(string file)
    {
        // Compiled alone against the built runtime; where a zoo type is declared in both, the source wins (CS0436).
        var source = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot(), file));
        var (result, output) = GeneratorHarness.Run(source);

        var models = output.SyntaxTrees.First().GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Count(c => c.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "SlimModel" or "SlimGen.SlimModel" or "SlimBlock" or "SlimGen.SlimBlock"));
        Assert.Equal(models, result.GeneratedSources.Length);
        Assert.Empty(GeneratorHarness.Analyze(output));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true));
    }
}
