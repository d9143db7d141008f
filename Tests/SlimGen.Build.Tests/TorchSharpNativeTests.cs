using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Xunit;
using static SlimGen.Build.Tests.TestEnvironment;

namespace SlimGen.Build.Tests;

/// <summary>The patch applied to the real TorchSharp 0.107 library from the NuGet cache (never to the cache's copy).</summary>
public sealed class TorchSharpNativeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-torchsharp-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [TorchSharpNativeFact]
    public void Real_library_gets_its_GLIBCXX_3_4_32_need_and_nothing_else_marked_weak()
    {
        string package = TorchSharpNative!;
        byte[] packageHash = SHA256.HashData(File.ReadAllBytes(package));
        string copy = Path.Combine(directory, "libLibTorchSharp.so");
        File.Copy(package, copy);
        byte[] before = File.ReadAllBytes(copy);
        VersionNeed need = ElfVersionPatcher.FindVersionNeed(copy, LibStdCxx, Gcc13Version)!.Value;
        Assert.False(need.IsWeak);

        Assert.Equal(WeakVersionResult.Patched, ElfVersionPatcher.MarkVersionNeedWeak(copy, LibStdCxx, Gcc13Version));
        Assert.Equal(WeakVersionResult.AlreadyWeak, ElfVersionPatcher.MarkVersionNeedWeak(copy, LibStdCxx, Gcc13Version));

        byte[] after = File.ReadAllBytes(copy);
        int[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.All(changed, i => Assert.InRange(i, need.FlagsOffset, need.FlagsOffset + 1));
        Assert.Equal(need.Flags | ElfVersionPatcher.VerFlagWeak, BitConverter.ToUInt16(after, (int)need.FlagsOffset));
        Assert.False(ElfVersionPatcher.FindVersionNeed(copy, LibStdCxx, "GLIBCXX_3.4.30")!.Value.IsWeak);
        Assert.Equal(packageHash, SHA256.HashData(File.ReadAllBytes(package)));
    }

    [TorchSharpNativeFact(needsLibTorch: true)]
    public void Patched_library_loads_beside_libtorch_where_the_original_cannot()
    {
        string original = Path.Combine(StageBesideLibTorch("original"), "libLibTorchSharp.so");
        string patched = Path.Combine(StageBesideLibTorch("patched"), "libLibTorchSharp.so");
        ElfVersionPatcher.MarkVersionNeedWeak(patched, LibStdCxx, Gcc13Version);
        string system = ElfVersionPatcher.FindSystemLibrary(LibStdCxx, original)!;

        if (!ElfVersionPatcher.DefinesVersion(system, Gcc13Version))
        {
            var error = Assert.Throws<DllNotFoundException>(() => NativeLibrary.Load(original));
            Assert.Contains($"version `{Gcc13Version}' not found", error.Message);
        }
        Assert.True(NativeLibrary.TryLoad(patched, out IntPtr handle));
        Assert.NotEqual(IntPtr.Zero, NativeLibrary.GetExport(handle, "THSTensor_ones"));
    }

    /// <summary>A folder holding a copy of libLibTorchSharp.so and links to libtorch, found through its $ORIGIN run path.</summary>
    private string StageBesideLibTorch(string name)
    {
        string stage = Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
        foreach (string library in Directory.GetFiles(LibTorchNativeDirectory!))
            File.CreateSymbolicLink(Path.Combine(stage, Path.GetFileName(library)), library);
        File.Copy(TorchSharpNative!, Path.Combine(stage, "libLibTorchSharp.so"));
        return stage;
    }
}
