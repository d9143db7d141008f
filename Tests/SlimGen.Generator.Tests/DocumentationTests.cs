using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// docs/diagnostics.md stays true: one entry per id, where its help link points, with the title and severity that the
/// id's descriptors (one per problem) share, and an example that produces exactly the message the entry shows.
/// </summary>
public class DocumentationTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(TestModels.RepositoryRoot(), "docs", "diagnostics.md"));

    /// <summary>The repository URL the packages name (Directory.Build.props), which the help links must share.</summary>
    private static readonly string RepositoryUrl = System.Xml.Linq.XDocument.Load(Path.Combine(TestModels.RepositoryRoot(), "Directory.Build.props"))
        .Descendants("RepositoryUrl").Single().Value;

    public static TheoryData<string> Ids() => new(DiagnosticDescriptors.All.Select(d => d.Id).Distinct().OrderBy(id => id));

    /// <summary>The id's descriptors agree on everything but their message and description, which each has.</summary>
    private static DiagnosticDescriptor Descriptor(string id)
    {
        var problems = DiagnosticDescriptors.All.Where(d => d.Id == id).ToList();
        Assert.Single(problems.Select(d => (d.Title.ToString(), d.Category, d.DefaultSeverity, d.HelpLinkUri)).Distinct());
        Assert.All(problems, d => Assert.NotEmpty(d.Description.ToString()));
        Assert.Equal(problems.Count, problems.Select(d => d.MessageFormat.ToString()).Distinct().Count());
        return problems[0];
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_to_the_entry(string id)
    {
        var descriptor = Descriptor(id);

        Assert.Equal(RepositoryUrl + "/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
        // GitHub's anchor for a heading "## SLIM001" is "#slim001".
        Assert.Contains("\n## " + id + "\n", Document);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Entry_has_the_title_and_severity_and_its_example_gives_the_message(string id)
    {
        var descriptor = Descriptor(id);
        var entry = Entry(id);
        var severity = descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning";
        Assert.Contains($"**{descriptor.Title}** ({severity})", entry);

        var example = Regex.Match(entry, "```csharp\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var message = Regex.Match(entry, "^> (.*)$", RegexOptions.Multiline).Groups[1].Value;
        var compilation = GeneratorHarness.Compile(SlimVerifier.Usings + example);
        // Only the compiler errors that the entry itself names (SLIM020 explains one).
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !entry.Contains(d.Id, System.StringComparison.Ordinal)));

        var reported = GeneratorHarness.Analyze(compilation).AddRange(GeneratorHarness.OpNameDiagnostics(compilation));
        Assert.Contains(message, reported.Where(d => d.Id == id).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static string Entry(string id)
    {
        int start = Document.IndexOf("\n## " + id + "\n", System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/diagnostics.md has no entry for {id}");
        int end = Document.IndexOf("\n## ", start + 1, System.StringComparison.Ordinal);
        return end < 0 ? Document.Substring(start) : Document.Substring(start, end - start);
    }
}
