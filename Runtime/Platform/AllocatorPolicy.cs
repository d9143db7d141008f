using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace SlimGen;

/// <summary>Whether <see cref="SlimRuntime.Initialize()"/> tunes the C library's memory allocator.</summary>
public enum AllocatorPolicy
{
    /// <summary>
    /// On Linux with glibc, keep freed memory in the process for reuse: large blocks are not mapped and unmapped on
    /// every allocation, and the heap is not trimmed. Activations then stop page-faulting on every forward pass (VGG-16
    /// at batch 8 on CPU runs several times faster; docs/BENCHMARKS.md), at the price of a resident set that stays at its
    /// peak (<see cref="SlimRuntime.ReleaseFreeMemory"/> lowers it on demand). glibc still maps blocks above 64 MB
    /// that threads other than the main one allocate. Elsewhere this does nothing.
    /// </summary>
    Tuned,

    /// <summary>Leave the allocator as the C library configured it.</summary>
    Off,
}

/// <summary>One allocator parameter set through glibc's <c>mallopt</c>.</summary>
/// <param name="Name">The parameter's name in <c>malloc.h</c>, e.g. <c>M_MMAP_MAX</c>.</param>
/// <param name="Value">The value it was set to.</param>
public readonly record struct MallocSetting(string Name, int Value)
{
    /// <summary>Renders the setting as <c>NAME=value</c>.</summary>
    public override string ToString() => $"{Name}={Value}";
}

/// <summary>What <see cref="SlimRuntime.Initialize()"/> did to the C library's allocator.</summary>
/// <param name="Policy">The policy that was in force.</param>
/// <param name="GlibcVersion">glibc's version, or null when the process does not run on glibc (or the policy is off).</param>
/// <param name="Settings">The parameters that were changed; empty when the allocator was left alone.</param>
public sealed record AllocatorState(AllocatorPolicy Policy, string? GlibcVersion, IReadOnlyList<MallocSetting> Settings)
{
    /// <summary>Whether any allocator parameter was changed.</summary>
    public bool Applied => Settings.Count > 0;

    /// <summary>A one-line description, e.g. <c>glibc 2.36: M_MMAP_MAX=0, M_TRIM_THRESHOLD=2147483647</c>.</summary>
    public override string ToString() =>
        Applied ? $"glibc {GlibcVersion}: {string.Join(", ", Settings)}"
        : Policy == AllocatorPolicy.Off ? "allocator left alone (policy off)"
        : "allocator left alone (not glibc)";
}

/// <summary>Applies an <see cref="AllocatorPolicy"/> through glibc's <c>mallopt</c>.</summary>
internal static class GlibcAllocator
{
    /// <summary>The environment variable that turns the policy off: <c>SLIMGEN_ALLOCATOR_POLICY=off</c>.</summary>
    public const string EnvironmentVariable = "SLIMGEN_ALLOCATOR_POLICY";

    // malloc.h
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_MAX = -4;

    // Chosen by measurement (docs/BENCHMARKS.md): with mmap off, blocks of any size come from the heap and are reused;
    // without the trim limit, a free at the top of the heap does not hand pages back only to fault them in again. A
    // large M_MMAP_THRESHOLD instead still faulted without the trim limit, not always with it, and older glibc versions
    // reject thresholds above 32 MB.
    private static readonly (int Parameter, MallocSetting Setting)[] TunedSettings =
    [
        (M_MMAP_MAX, new(nameof(M_MMAP_MAX), 0)),
        (M_TRIM_THRESHOLD, new(nameof(M_TRIM_THRESHOLD), int.MaxValue)),
    ];

    /// <summary>The policy the environment asks for: <see cref="AllocatorPolicy.Off"/> when the variable says <c>off</c>.</summary>
    public static AllocatorPolicy PolicyFromEnvironment() =>
        string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim(), "off", StringComparison.OrdinalIgnoreCase)
            ? AllocatorPolicy.Off
            : AllocatorPolicy.Tuned;

    /// <summary>Applies <paramref name="policy"/> and reports what changed.</summary>
    public static AllocatorState Apply(AllocatorPolicy policy)
    {
        if (policy == AllocatorPolicy.Off)
            return new AllocatorState(policy, null, []);
        string? version = GlibcVersion();
        if (version is null)
            return new AllocatorState(policy, null, []);

        var applied = TunedSettings
            .Where(tuned => mallopt(tuned.Parameter, tuned.Setting.Value) == 1)
            .Select(tuned => tuned.Setting)
            .ToArray();
        return new AllocatorState(policy, version, applied);
    }

    /// <summary>Releases the free memory of every arena (glibc's <c>malloc_trim(0)</c>); false without glibc.</summary>
    public static bool Trim() => GlibcVersion() is not null && malloc_trim(0) == 1;

    /// <summary>glibc's version, or null on other systems and C libraries (musl has no <c>gnu_get_libc_version</c>).</summary>
    private static string? GlibcVersion()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            return Marshal.PtrToStringAnsi(gnu_get_libc_version());
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    // "libc" is the C library the process runs on: the runtime maps the name to libc.so.6 on glibc.
    [DllImport("libc")]
    private static extern IntPtr gnu_get_libc_version();

    [DllImport("libc")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc")]
    private static extern int malloc_trim(nuint pad);
}
