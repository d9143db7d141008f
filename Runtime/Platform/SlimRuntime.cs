using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SlimGen;

/// <summary>Process-wide preparation of the native TorchSharp backend that SlimGen code runs on.</summary>
public static class SlimRuntime
{
    private const string BackendPackages = "TorchSharp-cpu, TorchSharp-cuda-linux or TorchSharp-cuda-windows";

    /// <summary>The runtime option (AppContext data) by which the build says how it got SlimGen's native build step.</summary>
    internal const string NativeTargetsOption = "SlimGen.NativeTargets";

    private static readonly object Gate = new();
    private static volatile bool initialized;
    private static AllocatorPolicy allocatorPolicy = GlibcAllocator.PolicyFromEnvironment();
    private static AllocatorState? allocator;
    private static ConvolutionPolicy convolutionPolicy = ConvolutionCheck.PolicyFromEnvironment();
    private static volatile ConvolutionState? convolutions;

    /// <summary>
    /// The allocator policy that <see cref="Initialize()"/> applies: <see cref="SlimGen.AllocatorPolicy.Tuned"/>, unless the
    /// environment variable <c>SLIMGEN_ALLOCATOR_POLICY</c> is <c>off</c>. Set it before the first model or layer is
    /// created; <see cref="Allocator"/> tells what was applied.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after the allocator policy was applied.</exception>
    public static AllocatorPolicy AllocatorPolicy
    {
        get => allocatorPolicy;
        set => SetBeforeInitialization(ref allocatorPolicy, value, allocator, "allocator policy", nameof(AllocatorPolicy),
            $"{GlibcAllocator.EnvironmentVariable}=off");
    }

    /// <summary>What <see cref="Initialize()"/> did to the C library's allocator; null before it ran.</summary>
    public static AllocatorState? Allocator => allocator;

    /// <summary>
    /// How SlimGen's convolutions guard against CPU kernels that compute wrong results for some channel counts:
    /// <see cref="SlimGen.ConvolutionPolicy.Checked"/>, unless the environment variable <c>SLIMGEN_CONVOLUTION_POLICY</c> is
    /// <c>off</c> or <c>alwayspad</c>. Set it before the first model or layer is created; <see cref="Convolutions"/> tells
    /// what was found and what is in force.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after the policy was applied.</exception>
    public static ConvolutionPolicy ConvolutionPolicy
    {
        get => convolutionPolicy;
        set => SetBeforeInitialization(ref convolutionPolicy, value, convolutions, "convolution policy", nameof(ConvolutionPolicy),
            $"{ConvolutionCheck.EnvironmentVariable}=off or alwayspad");
    }

    /// <summary>What <see cref="Initialize()"/> found out about this CPU's convolutions and put in force; null before it ran.</summary>
    public static ConvolutionState? Convolutions => convolutions;

    /// <summary>
    /// Sets a policy that <see cref="Initialize()"/> applies once: setting another value after that (when
    /// <paramref name="applied"/> is not null) would change nothing, so it throws instead of pretending.
    /// </summary>
    private static void SetBeforeInitialization<TPolicy>(
        ref TPolicy policy, TPolicy value, object? applied, string what, string property, string environment)
        where TPolicy : struct, Enum
    {
        lock (Gate)
        {
            if (applied is not null && !value.Equals(policy))
            {
                throw new InvalidOperationException(
                    $"The {what} was applied when the first SlimGen model or layer was created ({applied}); " +
                    $"set SlimRuntime.{property} before that, or {environment} in the environment.");
            }
            policy = value;
        }
    }

    /// <summary>The convolution defects that layers work around (none before <see cref="Initialize()"/> ran).</summary>
    internal static ConvolutionDefects ActiveConvolutionDefects => convolutions?.ActiveDefects ?? ConvolutionDefects.None;

    /// <summary>
    /// Hands the memory that the C library's allocator keeps for reuse back to the system (glibc's <c>malloc_trim</c>):
    /// the price of the <see cref="SlimGen.AllocatorPolicy.Tuned"/> policy is a resident set that stays at its peak,
    /// and this lowers it to what is in use. Call it after a burst of work, such as a large batch or a training run,
    /// when the process will stay idle or needs the memory for something else; the next large allocations fault their
    /// pages in again. Safe from any thread, at any time.
    /// </summary>
    /// <returns>Whether any memory was released; false on systems without glibc.</returns>
    public static bool ReleaseFreeMemory() => GlibcAllocator.Trim();

    /// <summary>
    /// Applies the <see cref="AllocatorPolicy"/>, loads TorchSharp's native library, initialises its CPU backend and applies
    /// the <see cref="ConvolutionPolicy"/> (a check of a few milliseconds). Generated models and layers call this before
    /// touching TorchSharp; applications may call it at start-up to fail early. It is thread-safe and returns at once
    /// after the first success.
    /// </summary>
    /// <exception cref="NativeLibraryException">
    /// The native library cannot be loaded; the message gives the system loader's reason and the fix.
    /// </exception>
    public static void Initialize()
    {
        if (initialized)
            return;
        lock (Gate)
        {
            if (initialized)
                return;
            // Before libtorch allocates anything, so that its first large blocks already come from the tuned heap.
            allocator ??= GlibcAllocator.Apply(allocatorPolicy);
            Load();
            convolutions ??= ConvolutionCheck.Run(convolutionPolicy);
            initialized = true;
        }
    }

    /// <summary>
    /// Calls <see cref="Initialize()"/> and returns <paramref name="moduleName"/>, so that a module can check the
    /// native library in its base-constructor call: TorchSharp's <c>Module</c> constructor is itself a native call.
    /// </summary>
    /// <param name="moduleName">The name to pass on to the <c>Module</c> constructor.</param>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
    public static string InitializeFor(string moduleName)
    {
        Initialize();
        return moduleName;
    }

    private static void Load()
    {
        // Probe the way TorchSharp does before letting it try: when its own load fails it copies
        // ~478 MB of libtorch from the NuGet cache into the application folder and then blames a
        // missing package reference, which hides the real cause.
        if (!NativeLibrary.TryLoad("LibTorchSharp", typeof(torch).Assembly, null, out _))
            throw Diagnose();
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or InvalidOperationException
                                      or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new NativeLibraryException(
                $"TorchSharp could not initialise its native CPU backend: {e.GetBaseException().Message}", e);
        }
    }

    private static NativeLibraryException Diagnose()
    {
        string fileName = OperatingSystem.IsWindows() ? "LibTorchSharp.dll"
            : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib"
            : "libLibTorchSharp.so";
        string? path = SearchDirectories().Select(directory => Path.Combine(directory, fileName)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return new NativeLibraryException(
                $"TorchSharp's native library {fileName} is not in the application folder {AppContext.BaseDirectory} " +
                $"or its runtimes/<rid>/native folders. SlimGen.Runtime leaves the choice of libtorch backend to the " +
                $"application, which must reference one of the packages {BackendPackages}.");
        }

        try
        {
            NativeLibrary.Load(path);
            return new NativeLibraryException(
                $"TorchSharp's native library loads from {path} but not by name from TorchSharp; check the application's .deps.json.");
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The runtime's message ends with the system loader's own (dlerror) text.
            string reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
            string fix = reason.Contains("GLIBCXX_", StringComparison.Ordinal)
                ? LibStdCxxRemedy(AppContext.GetData(NativeTargetsOption) as string)
                : $"The application must reference one of the packages {BackendPackages}, which bring libtorch; " +
                  "SlimGen.Runtime leaves that choice to the application.";
            return new NativeLibraryException($"TorchSharp's native library {path} cannot be loaded: {reason}. {fix}", e);
        }
    }

    /// <summary>
    /// What to do when this system's libstdc++ lacks a version libLibTorchSharp.so asks for, by how the application got
    /// SlimGen's build step that marks the need weak in its build output (the <see cref="NativeTargetsOption"/> that
    /// Build/SlimGen.Native.targets writes into the runtimeconfig.json): <c>package</c> (the SlimGen package) or
    /// <c>import</c> (the project imports the targets) when the step ran, <c>off</c> when it was switched off, and null
    /// when the application was built without it, as with SlimGen.Runtime referenced as a project or a DLL.
    /// </summary>
    internal static string LibStdCxxRemedy(string? nativeTargets)
    {
        string remedy = nativeTargets switch
        {
            "off" =>
                "The application was built with SlimGenPatchLibTorchSharp=false, which turns off SlimGen's build step that " +
                "marks that version need weak in the build output's copy of the library; build it without that property.",
            "package" or "import" =>
                $"SlimGen's build step ({(nativeTargets == "package" ? "from the SlimGen package" : "Build/SlimGen.Native.targets, imported by the project")}) " +
                "ran, but the build machine's libstdc++ had that version, so the copy was left unchanged: build or publish the " +
                "application on a system like this one (the build then logs \"SlimGen: marked GLIBCXX_3.4.32 weak\").",
            _ =>
                "The application was built without SlimGen's build step that marks that version need weak in the build " +
                "output's copy of the library, as happens when SlimGen.Runtime is referenced as a project or a DLL: reference " +
                "the SlimGen package instead (dotnet add package SlimGen), or import the step in the project file with " +
                "<Import Project=\"path/to/SlimGen/Build/SlimGen.Native.targets\" />.",
        };
        return "This system's libstdc++ is older than the one TorchSharp was built with. " + remedy +
               " See docs/PLATFORM.md in the SlimGen repository.";
    }

    /// <summary>The folders the runtime probes for native libraries of this application.</summary>
    private static IEnumerable<string> SearchDirectories()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string directories)
        {
            foreach (string directory in directories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return directory;
        }
        yield return AppContext.BaseDirectory;
        string runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        if (Directory.Exists(runtimes))
        {
            foreach (string runtime in Directory.EnumerateDirectories(runtimes))
                yield return Path.Combine(runtime, "native");
        }
    }
}
