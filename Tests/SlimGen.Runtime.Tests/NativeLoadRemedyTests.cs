using System;
using Xunit;

namespace SlimGen.Runtime.Tests;

/// <summary>The remedy that a libstdc++ load failure names fits the way the application references SlimGen.</summary>
public class NativeLoadRemedyTests
{
    [Fact]
    public void This_build_imports_the_native_targets_and_says_so_to_the_runtime()
    {
        // Directory.Build.targets imports Build/SlimGen.Native.targets into every project of the repository.
        Assert.Equal("import", AppContext.GetData(SlimRuntime.NativeTargetsOption));
    }

    [Fact]
    public void Without_the_build_step_the_remedy_is_the_package_or_importing_the_targets()
    {
        string remedy = SlimRuntime.LibStdCxxRemedy(null);

        Assert.Contains("referenced as a project or a DLL", remedy);
        Assert.Contains("dotnet add package SlimGen", remedy);
        Assert.Contains("<Import Project=\"path/to/SlimGen/Build/SlimGen.Native.targets\" />", remedy);
    }

    [Fact]
    public void Switched_off_the_remedy_is_to_build_without_the_switch()
    {
        string remedy = SlimRuntime.LibStdCxxRemedy("off");

        Assert.Contains("SlimGenPatchLibTorchSharp=false", remedy);
        Assert.DoesNotContain("dotnet add package", remedy);
    }

    [Theory]
    [InlineData("package", "from the SlimGen package")]
    [InlineData("import", "Build/SlimGen.Native.targets, imported by the project")]
    public void When_the_step_ran_the_remedy_is_to_build_on_a_system_like_this_one(string source, string named)
    {
        string remedy = SlimRuntime.LibStdCxxRemedy(source);

        Assert.Contains(named, remedy);
        Assert.Contains("build or publish the application on a system like this one", remedy);
        Assert.DoesNotContain("dotnet add package", remedy);
    }
}
