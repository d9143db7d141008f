namespace SlimGen.Generator.Model;

/// <summary>The sliding window of a convolution or a pool.</summary>
/// <param name="PaddingSize">Cells per side of <see cref="Pad.Symmetric"/> padding; -1 for the default (<see cref="ShapeMath.SymmetricPadding"/>).</param>
/// <param name="Strided">In a block: the window takes the block's stride instead of <see cref="Stride"/>.</param>
internal sealed record WindowSpec(int KernelHeight, int KernelWidth, int Stride, Pad Padding, int PaddingSize = -1, int Dilation = 1, bool Strided = false)
{
    public bool IsSquare => KernelHeight == KernelWidth;

    /// <summary>The kernel as the summary and messages show it: <c>3x3</c>, <c>1x7</c>.</summary>
    public string KernelText => KernelHeight + "x" + KernelWidth;

    /// <summary>The window with <see cref="Strided"/> resolved for a use of its block.</summary>
    public WindowSpec WithBlockStride(int blockStride) => Strided ? this with { Stride = blockStride, Strided = false } : this;
}
