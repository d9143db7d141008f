using System;

namespace SlimGen;

/// <summary>
/// How SlimGen's convolutions guard against libtorch CPU kernels that compute wrong results for channel counts off
/// oneDNN's block size (libtorch 2.10 with oneDNN 3.7 on some AVX2 and AVX-512 CPUs; docs/PLATFORM.md).
/// </summary>
public enum ConvolutionPolicy
{
    /// <summary>
    /// At initialization, run a few tiny convolutions with such channel counts against float64 (milliseconds); if this
    /// CPU gets them wrong, affected layers pad their channels to a multiple of 16, which oneDNN computes correctly.
    /// </summary>
    Checked,

    /// <summary>Trust libtorch: no check, no workaround.</summary>
    Off,

    /// <summary>Pad the channels of affected layers without checking (for CPUs the check might miss).</summary>
    AlwaysPad,
}

/// <summary>The wrong results a convolution check found.</summary>
[Flags]
public enum ConvolutionDefects
{
    /// <summary>None found (or not checked).</summary>
    None = 0,

    /// <summary>The output is wrong when the input has more than 8 channels and not a multiple of the block.</summary>
    ForwardInChannels = 1,

    /// <summary>The input gradient is wrong when the output channels are not a multiple of the block.</summary>
    InputGradientOutChannels = 2,
}

/// <summary>What SlimGen does so that its convolutions compute correct results on this CPU.</summary>
public enum ConvolutionWorkaround
{
    /// <summary>Nothing: the convolutions run as libtorch computes them.</summary>
    None,

    /// <summary>Layers with affected channel counts zero-pad their input and weights to a multiple of 16 channels.</summary>
    PadTailChannels,

    /// <summary>
    /// Padding did not help, so libtorch's oneDNN convolutions are turned off for the whole process (libtorch's
    /// <c>torch.backends.mkldnn.enabled = False</c>): correct, and about half as fast.
    /// </summary>
    OneDnnDisabled,
}

/// <summary>What <see cref="SlimRuntime.Initialize()"/> found out about this CPU's convolutions and what it put in force.</summary>
/// <param name="Policy">The policy that was in force.</param>
/// <param name="Defects">The wrong results the check found; with <see cref="ConvolutionPolicy.AlwaysPad"/> all are assumed.</param>
/// <param name="Workaround">What SlimGen's convolutions do about them.</param>
/// <param name="Correct">
/// Whether the check's convolutions come out right with the workaround in force; false only when neither padding nor
/// turning oneDNN off helped (or, with <see cref="ConvolutionPolicy.Off"/>, when nothing was checked).
/// </param>
/// <param name="CheckTime">How long the check took.</param>
public sealed record ConvolutionState(
    ConvolutionPolicy Policy, ConvolutionDefects Defects, ConvolutionWorkaround Workaround, bool Correct, TimeSpan CheckTime)
{
    /// <summary>The defects that layers work around by padding channels; none unless that is the workaround.</summary>
    public ConvolutionDefects ActiveDefects => Workaround == ConvolutionWorkaround.PadTailChannels ? Defects : ConvolutionDefects.None;

    /// <summary>
    /// A one-line description, e.g. <c>oneDNN convolutions correct on this CPU (checked in 9 ms)</c> or
    /// <c>oneDNN convolutions wrong for tail channels (ForwardInChannels, InputGradientOutChannels); layers pad them
    /// to multiples of 16 (checked in 31 ms)</c>.
    /// </summary>
    public override string ToString()
    {
        string checkedIn = $"checked in {CheckTime.TotalMilliseconds:0} ms";
        return (Policy, Workaround) switch
        {
            (ConvolutionPolicy.Off, _) => "convolutions not checked (policy off)",
            (ConvolutionPolicy.AlwaysPad, _) => "layers pad tail channels to multiples of 16 (policy AlwaysPad, not checked)",
            (_, ConvolutionWorkaround.None) => $"oneDNN convolutions correct on this CPU ({checkedIn})",
            (_, _) when !Correct => $"oneDNN convolutions wrong for tail channels ({Defects}) and no workaround helped ({checkedIn})",
            (_, ConvolutionWorkaround.PadTailChannels) =>
                $"oneDNN convolutions wrong for tail channels ({Defects}); layers pad them to multiples of 16 ({checkedIn})",
            _ => $"oneDNN convolutions wrong for tail channels ({Defects}); oneDNN turned off for convolutions ({checkedIn})",
        };
    }
}
