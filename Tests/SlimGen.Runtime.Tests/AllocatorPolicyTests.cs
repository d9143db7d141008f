using System;
using System.Runtime.InteropServices;
using Xunit;

namespace SlimGen.Runtime.Tests;

public class AllocatorPolicyTests
{
    [Fact]
    public void Initialize_AppliesThePolicyOnce_AndReportsIt()
    {
        SlimRuntime.Initialize();

        var state = SlimRuntime.Allocator;
        Assert.NotNull(state);
        Assert.Equal(SlimRuntime.AllocatorPolicy, state.Policy);
        if (state.Policy == AllocatorPolicy.Tuned && IsGlibc())
        {
            Assert.True(state.Applied);
            Assert.Equal([new MallocSetting("M_MMAP_MAX", 0), new MallocSetting("M_TRIM_THRESHOLD", int.MaxValue)], state.Settings);
            Assert.StartsWith("glibc 2.", state.ToString());
        }
        else
        {
            Assert.False(state.Applied);
            Assert.Empty(state.Settings);
        }
    }

    [Fact]
    public void ChangingThePolicy_AfterItWasApplied_Throws()
    {
        SlimRuntime.Initialize();
        var other = SlimRuntime.AllocatorPolicy == AllocatorPolicy.Tuned ? AllocatorPolicy.Off : AllocatorPolicy.Tuned;

        var error = Assert.Throws<InvalidOperationException>(() => SlimRuntime.AllocatorPolicy = other);

        Assert.Contains("SLIMGEN_ALLOCATOR_POLICY", error.Message);
        SlimRuntime.AllocatorPolicy = SlimRuntime.AllocatorPolicy; // setting the value in force is harmless
    }

    [Fact]
    public void ReleaseFreeMemory_GivesWhatThePolicyKeepsBackToTheSystem()
    {
        SlimRuntime.Initialize();
        const long Block = 16L << 20;
        // 16 MB blocks fit the heaps of any thread's arena (a block above 64 MB off the main thread would be mapped
        // and unmapped whatever the policy); touched, so that their pages are resident.
        var blocks = new TorchSharp.torch.Tensor[16];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = TorchSharp.torch.ones(Block / sizeof(float));
        long inUse = Environment.WorkingSet;
        foreach (var block in blocks)
            block.Dispose();
        long kept = Environment.WorkingSet;

        bool released = SlimRuntime.ReleaseFreeMemory();
        long after = Environment.WorkingSet;

        if (SlimRuntime.Allocator!.Applied)
        {
            Assert.True(inUse - kept < Block * 4, $"the policy should have kept the blocks: {inUse >> 20} MB in use, {kept >> 20} MB after the free");
            Assert.True(released);
            Assert.True(kept - after > Block * 8, $"{kept >> 20} MB before the release, {after >> 20} MB after");
        }
        else if (!IsGlibc())
        {
            Assert.False(released);
        }
    }

    [Fact]
    public void State_DescribesWhatWasLeftAlone()
    {
        Assert.Equal("allocator left alone (policy off)", new AllocatorState(AllocatorPolicy.Off, null, []).ToString());
        Assert.Equal("allocator left alone (not glibc)", new AllocatorState(AllocatorPolicy.Tuned, null, []).ToString());
    }

    private static bool IsGlibc()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        return NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);
    }
}
