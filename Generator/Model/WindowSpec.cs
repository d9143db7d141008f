namespace SlimGen.Generator.Model;

/// <summary>The sliding window of a convolution or a pool.</summary>
internal sealed record WindowSpec(int Kernel, int Stride, Pad Padding);
