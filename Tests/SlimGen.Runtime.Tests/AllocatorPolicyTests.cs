using System;
using System.Runtime.InteropServices;
using Xunit;

namespace SlimGen.Runtime.Tests
{
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
}
