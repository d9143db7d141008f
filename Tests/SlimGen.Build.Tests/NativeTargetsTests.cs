using System;
using System.IO;
using Xunit;
using static SlimGen.Build.Tests.TestEnvironment;

namespace SlimGen.Build.Tests;

/// <summary>
/// Builds a throwaway project that imports Build/SlimGen.Native.targets and receives a small
/// stand-in for libLibTorchSharp.so the way NuGet native assets arrive (ReferenceCopyLocalPaths).
/// </summary>
public sealed class NativeTargetsTests : IDisposable
{
    private const string Message = "SlimGen: marked GLIBCXX_3.4.32 weak";
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-targets-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [LinuxFact]
    public void Build_patches_the_output_copy_once_and_the_switch_leaves_the_original()
    {
        string package = Directory.CreateDirectory(Path.Combine(directory, "package")).FullName;
        string library = new ElfFixture { Machine = ReadMachine(ThisProcess) }
            .Needs(LibStdCxx, "GLIBCXX_3.4.30")
            .Needs(LibStdCxx, Gcc13Version)
            .WriteTo(Path.Combine(package, "libLibTorchSharp.so"));
        File.SetLastWriteTimeUtc(library, new DateTime(2026, 5, 7, 10, 3, 28, DateTimeKind.Utc));
        byte[] original = File.ReadAllBytes(library);
        string output = Path.Combine(directory, "bin", "Debug", "net10.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        bool expectPatch = !ElfVersionPatcher.DefinesVersion(ElfVersionPatcher.FindSystemLibrary(LibStdCxx, library)!, Gcc13Version);

        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />"); // keep out whatever lies above the temp folder
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ReferenceCopyLocalPaths Include="package/libLibTorchSharp.so" DestinationSubDirectory="runtimes/linux-x64/native/" />
              </ItemGroup>
              <Import Project="{BuildDirectory}SlimGen.Native.targets" />
            </Project>
            """);

        string first = Build();
        Assert.Equal(expectPatch, first.Contains(Message));
        Assert.Equal(expectPatch, ElfVersionPatcher.FindVersionNeed(output, LibStdCxx, Gcc13Version)!.Value.IsWeak);
        byte[] built = File.ReadAllBytes(output);

        string second = Build("--no-restore");
        Assert.DoesNotContain("SlimGen:", second);
        Assert.Equal(built, File.ReadAllBytes(output));

        Build("--no-restore -p:SlimGenPatchLibTorchSharp=false");
        Assert.Equal(original, File.ReadAllBytes(output));
        Assert.Equal(original, File.ReadAllBytes(library));
    }

    private string Build(string extraArguments = "")
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var (exitCode, output) = Run(dotnet, $"build probe.csproj -nologo -tl:off -nodeReuse:false -p:UseSharedCompilation=false {extraArguments}", directory);
        Assert.True(exitCode == 0, output);
        return output;
    }
}
