using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;
using static SlimGen.Build.Tests.TestEnvironment;

namespace SlimGen.Build.Tests;

/// <summary>
/// SlimGen, SlimGen.Onnx and SlimGen.Templates packed into a temporary folder feed, once for the tests of <see cref="PackageTests"/>.
/// The version is the repository's with a unique pre-release suffix, so that no NuGet cache can serve a stale copy.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        string repositoryVersion = typeof(PackedFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SlimGenVersion").Value!;
        Version = $"{repositoryVersion}-e2e.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var clock = Stopwatch.StartNew();
        foreach (string project in new[] { "Package/SlimGen.Package.csproj", "Onnx/SlimGen.Onnx.csproj", "Templates/SlimGen.Templates.csproj" })
        {
            // Restored as the solution restores it (a no-op after `dotnet test SlimGen.sln`), so that the one-off version
            // rewrites no restore output the other tests' projects share; Release keeps their Debug outputs untouched. A
            // consumer's strict command-line properties, which also reach SlimGen's projects when they are referenced as
            // projects, must not break their build.
            foreach (string command in new[]
            {
                $"restore {project} -nologo -tl:off",
                $"pack {project} -c Release --no-restore -o \"{Directory}\" -p:Version={Version} {StrictProperties} -nologo -tl:off",
            })
            {
                var (exitCode, output) = Run(Dotnet, command, RepositoryRoot, QuietBuild);
                Assert.True(exitCode == 0, $"dotnet {command} exited with {exitCode}:\n{output}");
            }
        }
        PackTime = clock.Elapsed;
    }

    /// <summary>The feed folder.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("slimgen-feed-").FullName;

    public string Version { get; }

    public TimeSpan PackTime { get; }

    public string Package => Path.Combine(Directory, $"SlimGen.{Version}.nupkg");

    public string Symbols => Path.Combine(Directory, $"SlimGen.{Version}.snupkg");

    public string Templates => Path.Combine(Directory, $"SlimGen.Templates.{Version}.nupkg");

    public string Onnx => Path.Combine(Directory, $"SlimGen.Onnx.{Version}.nupkg");

    /// <summary>Properties a careful user passes to every build.</summary>
    public const string StrictProperties = "-p:TreatWarningsAsErrors=true -p:GenerateDocumentationFile=true";

    /// <summary>The dotnet that runs the tests.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>
    /// For every dotnet command the tests start: no MSBuild nodes or compiler servers that outlive the command (they
    /// would hold its output pipes open), no telemetry or banners.
    /// </summary>
    public static IReadOnlyDictionary<string, string> QuietBuild { get; } = new Dictionary<string, string>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["UseSharedCompilation"] = "false",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        // The consumer's restore extracted this one-off version into the global packages folder.
        string cached = Path.Combine(NuGetPackageRoot, "slimgen", Version.ToLowerInvariant());
        if (System.IO.Directory.Exists(cached))
            System.IO.Directory.Delete(cached, recursive: true);
    }
}

/// <summary>
/// What a user gets: the SlimGen package's layout and metadata, and, from an empty folder outside the repository, the
/// template project built against the feed, run, tested, broken with a shape error, and built with the oldest
/// compiler the package feed serves.
/// </summary>
public sealed class PackageTests(PackedFeed feed, ITestOutputHelper log) : IClassFixture<PackedFeed>, IDisposable
{
    private const string OldestCompiler = "4.14.0";
    private readonly string consumer = Directory.CreateTempSubdirectory("slimgen-consumer-").FullName;

    public void Dispose() => Directory.Delete(consumer, recursive: true);

    [Fact]
    public void Package_holds_libraries_analyzers_and_build_step_and_depends_on_TorchSharp_only()
    {
        using var package = ZipFile.OpenRead(feed.Package);
        var files = package.Entries.Select(e => e.FullName).ToHashSet();

        // Exactly these assemblies: the generator is loaded by the compiler only, never an application reference, and the
        // packaging project's own (empty) assembly stays out.
        string[] InFolder(string folder) => files.Where(f => f.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "lib/net10.0/SlimGen.Attributes.dll", "lib/net10.0/SlimGen.Attributes.xml",
            "lib/net10.0/SlimGen.Runtime.dll", "lib/net10.0/SlimGen.Runtime.xml",
        }, InFolder("lib/"));
        Assert.Equal(new[] { "analyzers/dotnet/cs/SlimGen.Generator.CodeFixes.dll", "analyzers/dotnet/cs/SlimGen.Generator.dll" }, InFolder("analyzers/"));
        Assert.Equal(new[] { "buildTransitive/ElfVersionPatcher.cs", "buildTransitive/SlimGen.Native.targets", "buildTransitive/SlimGen.targets" },
            InFolder("buildTransitive/"));
        Assert.Subset(files, new HashSet<string> { "README.md", "LICENSE" });
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));

        var nuspec = ReadNuspec(package);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("SlimGen", metadata.Element(ns + "id")!.Value);
        Assert.Equal(feed.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.StartsWith("https://github.com/", metadata.Element(ns + "repository")!.Attribute("url")!.Value);
        Assert.Contains("source generator", metadata.Element(ns + "description")!.Value, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "releaseNotes")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "tags")?.Value));
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).Order().ToArray();
        Assert.Equal(new[] { "TorchSharp", "TorchSharp.PyBridge" }, dependencies);
    }

    [Fact]
    public void Onnx_package_holds_its_assembly_and_the_attributes_and_depends_on_ONNX_Runtime_only()
    {
        using var package = ZipFile.OpenRead(feed.Onnx);
        var files = package.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Equal(new[]
        {
            "lib/net10.0/SlimGen.Attributes.dll", "lib/net10.0/SlimGen.Attributes.xml",
            "lib/net10.0/SlimGen.Onnx.dll", "lib/net10.0/SlimGen.Onnx.xml",
        }, files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Subset(files, new HashSet<string> { "README.md", "LICENSE" });
        var nuspec = ReadNuspec(package);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("SlimGen.Onnx", metadata.Element(ns + "id")!.Value);
        Assert.Equal(feed.Version, metadata.Element(ns + "version")!.Value);
        // No TorchSharp: a deployment that runs exported models needs neither it nor libtorch.
        Assert.Equal(new[] { "Microsoft.ML.OnnxRuntime" }, metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value));
    }

    [Fact]
    public void Symbols_package_holds_the_libraries_pdbs()
    {
        using var symbols = ZipFile.OpenRead(feed.Symbols);
        var files = symbols.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Subset(files, new HashSet<string> { "lib/net10.0/SlimGen.Runtime.pdb", "lib/net10.0/SlimGen.Attributes.pdb" });
    }

    [Fact]
    public void Template_turns_a_name_that_is_no_identifier_into_one_for_files_and_code_alike()
    {
        string hive = Path.Combine(consumer, "template-hive");
        Dotnet($"new install \"{feed.Templates}\" --debug:custom-hive \"{hive}\"", consumer);
        Dotnet($"new slimgen-classifier -n my-net --no-update-check --debug:custom-hive \"{hive}\"", consumer);
        string solution = Path.Combine(consumer, "my-net");

        var projects = XDocument.Load(Path.Combine(solution, "my_net.slnx")).Descendants("Project").Select(p => p.Attribute("Path")!.Value).ToList();
        Assert.Equal(new[] { "my_net/my_net.csproj", "my_net.Tests/my_net.Tests.csproj" }, projects);
        Assert.All(projects, path => Assert.True(File.Exists(Path.Combine(solution, path)), path));
        string reference = XDocument.Load(Path.Combine(solution, "my_net.Tests", "my_net.Tests.csproj")).Descendants("ProjectReference").Single().Attribute("Include")!.Value;
        Assert.True(File.Exists(Path.Combine(solution, "my_net.Tests", reference.Replace('\\', '/'))), reference);
        Assert.Contains("namespace my_net;", File.ReadAllText(Path.Combine(solution, "my_net", "Classifier.cs")));
    }

    [Fact]
    public void Template_project_restores_from_the_feed_builds_trains_tests_and_fails_on_a_shape_error_with_old_and_new_compilers()
    {
        var clock = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="slimgen-feed" value="{feed.Directory}" />
              </packageSources>
            </configuration>
            """);
        // Also keeps out whatever Directory.Build.props lies above the temporary folder.
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), """
            <Project>
              <!-- -p:TestCompiler=<version> builds with that Microsoft.Net.Compilers.Toolset instead of the SDK's compiler. -->
              <PropertyGroup Condition="'$(TestCompiler)' != ''">
                <RoslynCompilerType>Package</RoslynCompilerType>
              </PropertyGroup>
              <ItemGroup Condition="'$(TestCompiler)' != ''">
                <PackageReference Include="Microsoft.Net.Compilers.Toolset" Version="$(TestCompiler)" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);

        string hive = Path.Combine(consumer, "template-hive");
        Dotnet($"new install \"{feed.Templates}\" --debug:custom-hive \"{hive}\"", consumer);
        Dotnet($"new slimgen-classifier -n MyNet --no-update-check --debug:custom-hive \"{hive}\"", consumer);
        string solution = Path.Combine(consumer, "MyNet");
        string project = Path.Combine(solution, "MyNet");
        Assert.Contains($"<PackageReference Include=\"SlimGen\" Version=\"{feed.Version}\" />", File.ReadAllText(Path.Combine(project, "MyNet.csproj")));
        Lap("template created");

        // The application with a careful user's properties: the generated code has no warnings either.
        string strictBuild = Dotnet($"build MyNet -nologo -tl:off {PackedFeed.StrictProperties}", solution);
        Assert.DoesNotContain(": warning ", strictBuild);
        string build = Dotnet("build -nologo -tl:off", solution);
        Assert.DoesNotContain(": warning ", build);
        var restored = JsonDocument.Parse(File.ReadAllText(Path.Combine(NuGetPackageRoot, "slimgen", feed.Version.ToLowerInvariant(), ".nupkg.metadata")));
        Assert.Equal(Path.TrimEndingDirectorySeparator(feed.Directory), Path.TrimEndingDirectorySeparator(restored.RootElement.GetProperty("source").GetString()!));
        // The package's build step ran, and tells the runtime so for its load-failure message.
        var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "bin", "Debug", "net10.0", "MyNet.runtimeconfig.json")));
        Assert.Equal("package", runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("SlimGen.NativeTargets").GetString());
        Lap("restored and built");

        string run = Dotnet("run --no-build --project MyNet -- --steps 1", solution);
        Assert.Contains("Forward pass: [64, 1, 28, 28] -> [64, 10]", run);
        Assert.Contains("step 1/1", run);
        Assert.Contains("Test accuracy after 1 training step", run);
        Lap("ran a forward pass and one training step");

        string test = Dotnet("test --no-build -nologo", solution);
        Assert.Contains("Passed!", test);
        Lap("ran the template's tests");

        // Where libstdc++ lacks GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04) the package's build step is what lets TorchSharp
        // load. Switched off, the run fails with SlimGen's message, which names the switch, instead of TorchSharp's.
        if (OperatingSystem.IsLinux() && ElfVersionPatcher.FindSystemLibrary(LibStdCxx, ThisProcess) is { } libStdCxx &&
            !ElfVersionPatcher.DefinesVersion(libStdCxx, Gcc13Version))
        {
            Dotnet("build MyNet -nologo -tl:off --no-restore -p:SlimGenPatchLibTorchSharp=false", solution);
            string failed = Dotnet("run --no-build --project MyNet -- --steps 1", solution, expectSuccess: false);
            Assert.Contains("SlimGen.NativeLibraryException", failed);
            Assert.Contains("The application was built with SlimGenPatchLibTorchSharp=false", failed);
            Assert.False(Directory.Exists(Path.Combine(project, "bin", "Debug", "net10.0", "cpu")), "TorchSharp copied libtorch into bin/.../cpu");
            Dotnet("build MyNet -nologo -tl:off --no-restore", solution);
            Lap("load failure with the build step switched off names the switch");
        }

        // A model whose fifth pool has a 1x1 input: the build stops at that attribute with SLIM001.
        string badModel = Path.Combine(project, "TooDeep.cs");
        string[] lines =
        [
            "using SlimGen;",
            "using static SlimGen.Op;",
            "",
            "namespace MyNet;",
            "",
            "[SlimModel(1, 28, 28)]",
            "[Conv2d(16, 3, Scope = \"conv1\")]",
            "[MaxPool2d(2, Scope = \"pool1\")]",
            "[MaxPool2d(2, Scope = \"pool2\")]",
            "[MaxPool2d(2, Scope = \"pool3\")]",
            "[MaxPool2d(2, Scope = \"pool4\")]",
            "[MaxPool2d(2, Scope = \"pool5\")]",
            "[Flatten]",
            "[FullyConnected(10)]",
            "public sealed partial class TooDeep { }",
        ];
        File.WriteAllLines(badModel, lines);
        int line = Array.FindIndex(lines, l => l.Contains("pool5", StringComparison.Ordinal)) + 1;
        string expected = $"{badModel}({line},2): error SLIM001: 'pool5' would reduce the spatial size to 0x0 (input [16, 1, 1], kernel 2, stride 2)";
        Assert.Contains(expected, Dotnet("build MyNet -nologo -tl:off --no-restore", solution, expectSuccess: false));
        Lap("shape error reported");

        // TorchSharp's nn methods hide a bare Conv2d: the compiler's CS1503 comes with SLIM020, which says what to write.
        string hiddenModel = Path.Combine(project, "Hidden.cs");
        File.WriteAllText(hiddenModel, "using SlimGen;\nusing static SlimGen.Op;\nusing static TorchSharp.torch.nn;\n\n" +
                                       "[SlimModel(1, 28, 28)]\n[ArgScope(Conv2d, Activation = Act.Relu)]\n[Conv2d(8, 3)]\npublic partial class Hidden { }\n");
        string hidden = Dotnet("build MyNet -nologo -tl:off --no-restore", solution, expectSuccess: false);
        Assert.Contains($"{hiddenModel}(6,11): error SLIM020: 'Conv2d' here means TorchSharp.torch.nn.Conv2d, not the layer kind Op.Conv2d", hidden);
        Assert.Contains($"{hiddenModel}(6,11): error CS1503", hidden);
        File.Delete(hiddenModel);
        Lap("hidden layer kind reported");

        // The oldest compiler served: the analyzer and the generator must load in it (no CS9057 or CS8032).
        string oldBuild = Dotnet($"build MyNet -nologo -tl:off -v:n -p:TestCompiler={OldestCompiler}", solution, expectSuccess: false);
        Assert.Contains($"microsoft.net.compilers.toolset/{OldestCompiler}/", oldBuild, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(expected, oldBuild);
        File.Delete(badModel);
        string oldGoodBuild = Dotnet($"build MyNet -nologo -tl:off -p:TestCompiler={OldestCompiler}", solution);
        Assert.DoesNotContain(": warning ", oldGoodBuild);
        Lap($"built with compiler {OldestCompiler}");

        log.WriteLine($"Packing took {feed.PackTime.TotalSeconds:F1} s (shared by this class's tests); the consumer steps {clock.Elapsed.TotalSeconds:F1} s.");

        void Lap(string step) => log.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {step}");
    }

    private static string Dotnet(string arguments, string directory, bool expectSuccess = true)
    {
        var (exitCode, output) = Run(PackedFeed.Dotnet, arguments, directory, PackedFeed.QuietBuild);
        Assert.True(expectSuccess == (exitCode == 0), $"dotnet {arguments} exited with {exitCode}:\n{output}");
        return output;
    }

    private static XDocument ReadNuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }
}
