using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using SlimGen.Layers;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SlimGen;

/// <summary>
/// Finds out whether this libtorch on this CPU computes convolutions with channel counts off oneDNN's block size
/// correctly, by comparing a few tiny float32 convolutions with float64 ones (which do not go through oneDNN), and
/// chooses the <see cref="ConvolutionWorkaround"/> (docs/PLATFORM.md).
/// </summary>
internal static class ConvolutionCheck
{
    /// <summary>The environment variable that chooses the policy: <c>SLIMGEN_CONVOLUTION_POLICY=off</c> or <c>alwayspad</c>.</summary>
    public const string EnvironmentVariable = "SLIMGEN_CONVOLUTION_POLICY";

    // Off the 8-channel block of AVX2 kernels (12, 20) and off the 16-channel block of AVX-512 kernels (20, 24); the
    // output counts add one below both blocks (4).
    private static readonly int[] TailInChannels = [12, 20, 24];
    private static readonly int[] TailOutChannels = [4, 12, 20, 24];

    // The defect gives errors of 10% and more, or NaN; float32 rounding stays below 1e-5 at these sizes.
    private const double Tolerance = 1e-3;

    /// <summary>A 3x3 convolution with padding 1, as the check runs it.</summary>
    internal delegate Tensor Convolve(Tensor input, Tensor weight);

    private static readonly Convolve LibTorch = (input, weight) => F.conv2d(input, weight, padding: [1, 1]);

    /// <summary>The policy the environment asks for; <see cref="ConvolutionPolicy.Checked"/> when it says nothing.</summary>
    public static ConvolutionPolicy PolicyFromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().ToLowerInvariant() switch
        {
            "off" => ConvolutionPolicy.Off,
            "alwayspad" => ConvolutionPolicy.AlwaysPad,
            _ => ConvolutionPolicy.Checked,
        };

    /// <summary>
    /// Applies <paramref name="policy"/>: checks this CPU, chooses the workaround and checks again that it helps. The
    /// state's <see cref="ConvolutionState.ActiveDefects"/> are what layers must work around.
    /// </summary>
    public static ConvolutionState Run(ConvolutionPolicy policy) => Run(policy, LibTorch);

    /// <summary><see cref="Run(ConvolutionPolicy)"/> with the convolution under test given (the tests pass a wrong one).</summary>
    internal static ConvolutionState Run(ConvolutionPolicy policy, Convolve libTorch)
    {
        var clock = Stopwatch.StartNew();
        switch (policy)
        {
            case ConvolutionPolicy.Off:
                return new ConvolutionState(policy, ConvolutionDefects.None, ConvolutionWorkaround.None, false, clock.Elapsed);
            case ConvolutionPolicy.AlwaysPad:
                const ConvolutionDefects all = ConvolutionDefects.ForwardInChannels | ConvolutionDefects.InputGradientOutChannels;
                return new ConvolutionState(policy, all, ConvolutionWorkaround.PadTailChannels, true, clock.Elapsed);
        }

        int threads = get_num_threads();
        try
        {
            // The input-gradient defect shows on every run with one thread, on some runs with more.
            set_num_threads(1);
            using var gradients = enable_grad();
            using var notInference = inference_mode(false);
            var defects = Find(libTorch);
            if (defects == ConvolutionDefects.None)
                return new ConvolutionState(policy, defects, ConvolutionWorkaround.None, true, clock.Elapsed);

            if (Find((input, weight) => Convolution.Conv2d(input, weight, null, [1, 1], [1, 1], [1, 1], 1, defects)) == ConvolutionDefects.None)
                return new ConvolutionState(policy, defects, ConvolutionWorkaround.PadTailChannels, true, clock.Elapsed);

            bool disabled = OneDnn.TryDisable();
            bool correct = disabled && Find(libTorch) == ConvolutionDefects.None;
            return new ConvolutionState(
                policy, defects, disabled ? ConvolutionWorkaround.OneDnnDisabled : ConvolutionWorkaround.None, correct, clock.Elapsed);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>Runs the check's convolutions through <paramref name="convolve"/> and reports the wrong ones.</summary>
    internal static ConvolutionDefects Find(Convolve convolve)
    {
        var defects = ConvolutionDefects.None;
        if (TailInChannels.Any(channels => !ForwardIsCorrect(convolve, channels)))
            defects |= ConvolutionDefects.ForwardInChannels;
        if (TailOutChannels.Any(channels => !InputGradientIsCorrect(convolve, channels)))
            defects |= ConvolutionDefects.InputGradientOutChannels;
        return defects;
    }

    // Batch 2 takes libtorch's oneDNN path; 3x3 kernels at 14x14, as in the reproducer in docs/PLATFORM.md.
    private static bool ForwardIsCorrect(Convolve convolve, int inChannels)
    {
        using var scope = NewDisposeScope();
        var input = Pattern([2, inChannels, 14, 14], 0.731);
        var weight = Pattern([16, inChannels, 3, 3], 0.377) / Math.Sqrt(inChannels * 9);
        var expected = F.conv2d(input, weight, padding: [1, 1]);
        var actual = convolve(input.to(float32), weight.to(float32));
        return RelativeError(actual, expected) < Tolerance;
    }

    private static bool InputGradientIsCorrect(Convolve convolve, int outChannels)
    {
        using var scope = NewDisposeScope();
        var input = Pattern([2, 16, 14, 14], 0.731);
        var weight = Pattern([outChannels, 16, 3, 3], 0.377) / 12.0;
        var upstream = Pattern([2, outChannels, 14, 14], 1.13);
        var expected = InputGradient(input, weight, upstream, (x, w) => F.conv2d(x, w, padding: [1, 1]));
        var actual = InputGradient(input.to(float32), weight.to(float32), upstream.to(float32), convolve);
        return RelativeError(actual, expected) < Tolerance;
    }

    private static Tensor InputGradient(Tensor input, Tensor weight, Tensor upstream, Convolve convolve)
    {
        var leaf = input.detach().requires_grad_();
        convolve(leaf, weight).backward([upstream]);
        return leaf.grad!;
    }

    /// <summary>A deterministic float64 tensor in [-1, 1]: the check must not draw from the user's random generator.</summary>
    private static Tensor Pattern(long[] shape, double frequency) =>
        sin(arange(shape.Aggregate(1L, (product, size) => product * size), dtype: float64) * frequency).reshape(shape);

    /// <summary>The largest absolute difference relative to the largest expected value; NaN when the result has a NaN.</summary>
    private static double RelativeError(Tensor actual, Tensor expected) =>
        (actual.to(float64) - expected).abs().max().item<double>() / expected.abs().max().item<double>();

    /// <summary>libtorch's process-wide switch for oneDNN (<c>at::globalContext().setUserEnabledMkldnn</c>).</summary>
    private static class OneDnn
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr GlobalContext();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        /// <summary>Turns oneDNN off; false where libtorch's C++ entry points cannot be found (they are Itanium-mangled).</summary>
        public static bool TryDisable()
        {
            string library = OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";
            if (OperatingSystem.IsWindows() || !NativeLibrary.TryLoad(library, typeof(torch).Assembly, null, out var handle))
                return false;
            if (!NativeLibrary.TryGetExport(handle, "_ZN2at13globalContextEv", out var globalContext)
                || !NativeLibrary.TryGetExport(handle, "_ZN2at7Context20setUserEnabledMkldnnEb", out var setEnabled))
                return false;
            var context = Marshal.GetDelegateForFunctionPointer<GlobalContext>(globalContext)();
            Marshal.GetDelegateForFunctionPointer<SetUserEnabledMkldnn>(setEnabled)(context, false);
            return true;
        }
    }
}
