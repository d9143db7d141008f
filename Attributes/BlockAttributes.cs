// Also compiled into the generator, where it is internal (SLIMGEN_GENERATOR), so that the generator names these
// attributes and their properties with nameof.
using System;

namespace SlimGen;

/// <summary>
/// Marks a <c>partial</c> class as a reusable block: its layer attributes, read in source order, are the block's
/// body, and the generator writes it as a module of its own. Numbers in the body may be expressions over the
/// named parameters and <c>in</c>, the block's input channels: <c>[Conv2d("depth * 4", 1)]</c>. Layers with
/// <c>Strided = true</c> take the stride the block is used with. A block's settings come from its own
/// <see cref="ArgScopeAttribute"/>s and <see cref="UseArgScopeAttribute"/>s (then the assembly's), never from the model that
/// uses it, so that one generated class serves every use.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class SlimBlockAttribute : Attribute
{
    /// <param name="parameters">The block's parameter names, in the order uses pass them.</param>
    public SlimBlockAttribute(params string[] parameters) => Parameters = parameters;

    /// <summary>The block's parameter names.</summary>
    public string[] Parameters { get; }
}

/// <summary>
/// One use of a block: <c>[Block(typeof(InceptionModule), 64, 96, 128, 16, 32, 32, Scope = "Mixed_3b")]</c>.
/// Repeat a block with <c>[Repeat(3, typeof(Bottleneck), 64, Scope = "layer1")]</c>.
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class BlockAttribute : LayerAttribute
{
    /// <param name="block">A <see cref="SlimBlockAttribute"/> class.</param>
    /// <param name="args">Its arguments, in the order its <see cref="SlimBlockAttribute"/> names them.</param>
    public BlockAttribute(Type block, params int[] args)
    {
        Block = block;
        Args = args;
    }

    /// <summary>The block.</summary>
    public Type Block { get; }
    /// <summary>Its arguments.</summary>
    public int[] Args { get; }
    /// <summary>The stride its <c>Strided</c> layers take (default 1).</summary>
    public int Stride { get; set; }
}

/// <summary>
/// Starts a branch in a block: the layers after it, up to the next <see cref="BranchAttribute"/> or
/// <see cref="ConcatAttribute"/>, read the input of the branch group, and their scopes nest in the branch's
/// (<c>Mixed_3b/Branch_1/Conv2d_0b_3x3</c>). A branch with no layers passes its input on.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class BranchAttribute : Attribute
{
    /// <param name="scope">The branch's scope name.</param>
    public BranchAttribute(string scope) => Scope = scope;

    /// <summary>The branch's scope name.</summary>
    public string Scope { get; }
}

/// <summary>
/// Ends a block's branches: their outputs are concatenated along the channels (their spatial sizes must agree).
/// A concat inside a branch is written as a block used in that branch.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class ConcatAttribute : Attribute
{
}

/// <summary>
/// Makes a block residual: its output is <c>activation(shortcut(input) + body(input))</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class ResidualAttribute : Attribute
{
    /// <summary>What the input goes through when the body changes its shape (default <see cref="Shortcut.Identity"/>).</summary>
    public Shortcut Shortcut { get; set; }
    /// <summary>Activation after the add (default none; ResNet v1 uses ReLU).</summary>
    public Act Activation { get; set; }
    /// <summary>
    /// Pre-activation (ResNet v2): the body's first layer (a batch norm with its activation) runs before the fork,
    /// and a projection shortcut reads its output; an identity shortcut still reads the block's input.
    /// </summary>
    public bool Preactivation { get; set; }
}

/// <summary>
/// An auxiliary head (Inception v3's <c>AuxLogits</c>): a block that reads the output of the layer before it, while the
/// network goes on from that same output. It is built when the constructor parameter named by <see cref="Parameter"/>
/// is true, and its output is the end point of its scope in <c>ForwardWithEndpoints</c> (TF-Slim's
/// <c>end_points['AuxLogits']</c>); <c>forward</c> returns the main output only. The summary, at the constructor's
/// defaults, leaves it out.
/// </summary>
#if SLIMGEN_GENERATOR
internal
#else
public
#endif
sealed class AuxHeadAttribute : LayerAttribute
{
    /// <param name="block">A <see cref="SlimBlockAttribute"/> class: the head.</param>
    /// <param name="args">Its arguments, in the order its <see cref="SlimBlockAttribute"/> names them.</param>
    public AuxHeadAttribute(Type block, params int[] args)
    {
        Block = block;
        Args = args;
    }

    /// <summary>The head.</summary>
    public Type Block { get; }
    /// <summary>Its arguments.</summary>
    public int[] Args { get; }
    /// <summary>The constructor's <c>bool</c> parameter that builds the head (default false), e.g. <c>"auxLogits"</c>.</summary>
    public string? Parameter { get; set; }
}
