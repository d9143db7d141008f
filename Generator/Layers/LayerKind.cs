using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Layers;

/// <summary>
/// Everything the generator knows about one kind of layer, in one place: its attribute and the arguments its
/// constructors take, the arg-scope keys it reads, its default name, how <c>[Repeat]</c> and <c>[Stack]</c> build it,
/// the checks of its numbers, its shape rule and the arguments of its runtime constructor. The parser, the shape pass
/// and the emitters ask the kind (<see cref="LayerKinds.Of(Op)"/>); adding a layer kind is a class here, an entry in
/// <see cref="LayerKinds"/>, its attribute and its runtime layer.
/// </summary>
/// <remarks>
/// Block uses, concats and residual adds are not layer kinds: they are the language's structure, which the parser and
/// the shape pass handle themselves.
/// </remarks>
internal abstract class LayerKind
{
    /// <param name="attributeName">The attribute class's name, by <c>nameof</c>: <c>Conv2dAttribute</c>.</param>
    protected LayerKind(Op op, string attributeName, string defaultName)
    {
        Op = op;
        AttributeName = attributeName;
        DefaultName = defaultName;
    }

    public Op Op { get; }

    /// <summary>The attribute class that writes the layer: <c>Conv2dAttribute</c>.</summary>
    public string AttributeName { get; }

    /// <summary>TF-Slim-style default name of an unscoped layer: <c>conv2d</c>, then <c>conv2d_1</c>...</summary>
    public string DefaultName { get; }

    /// <summary>The arg-scope keys the layer reads.</summary>
    public virtual IReadOnlyList<string> ScopeKeys => Array.Empty<string>();

    /// <summary>Whether the layer reads the arg-scope key (a name of <see cref="LayerArgs"/>).</summary>
    public bool Reads(string key)
    {
        foreach (var candidate in ScopeKeys)
        {
            if (candidate == key) return true;
        }
        return false;
    }

    /// <summary>
    /// Whether SlimGen's attribute has a constructor with <paramref name="count"/> arguments, so that a look-alike
    /// attribute is never indexed past its end.
    /// </summary>
    public abstract bool HasArity(int count);

    /// <summary>The int arguments <c>[Repeat]</c> passes to the layer, or null when it cannot be repeated with ints.</summary>
    public virtual IReadOnlyList<string>? RepeatArguments => null;

    /// <summary>Whether <c>[Stack]</c> can build the layer from one int per layer.</summary>
    public virtual bool Stackable => false;

    /// <summary>Whether a <c>[Stack]</c> of the layer needs its <c>Kernel</c> key (its values being sizes, not kernels).</summary>
    public virtual bool StackTakesKernel => false;

    /// <summary>Whether <c>Parameter</c> can turn the layer's size (filters, units) or rate into a constructor parameter.</summary>
    public virtual bool TakesParameter => false;

    /// <summary>The kind of constructor parameter <c>Parameter</c> declares.</summary>
    public virtual ParameterKind ParameterKind => ParameterKind.Size;

    /// <summary>What the layer's size is, in messages: <c>filters</c>, <c>units</c>; null for a layer without a size.</summary>
    public virtual string? SizeName => null;

    /// <summary>Whether the layer learns parameters (weights, a bias, a normalization's scale and shift, running statistics).</summary>
    public virtual bool HasParameters => false;

    /// <summary>The activation the layer applies after its linear part (and normalizer).</summary>
    public virtual Act Activation(LayerSpec layer) => Act.None;

    /// <summary>
    /// The output's height and width in a generated block's shape comments, from the input's in terms of the block's
    /// names (<c>H</c>, <c>H/stride</c>, <c>H'</c> for a size the comment does not follow).
    /// </summary>
    public virtual (string Height, string Width) CommentSpatial(LayerSpec layer, string height, string width) => (height, width);

    /// <summary>Whether the output is a new tensor (false for a view of the input, such as <c>Flatten</c>).</summary>
    public virtual bool AllocatesOutput => true;

    /// <summary>The layer's values from its own attribute's constructor arguments.</summary>
    public virtual LayerValues FromAttribute(ImmutableArray<TypedConstant> arguments, SourceRef source) => new(source, source);

    /// <summary>The layer's values from <c>[Repeat]</c>'s ints, as many as <see cref="RepeatArguments"/> names.</summary>
    public virtual LayerValues FromRepeat(ImmutableArray<int> values, SourceRef source) => new(source, source);

    /// <summary>The values of one layer of a <c>[Stack]</c>: its int, and the stack's <c>Kernel</c> key.</summary>
    public virtual LayerValues FromStack(int value, int? kernel, SourceRef valueSource, SourceRef kernelSource) => new(valueSource, kernelSource);

    /// <summary>
    /// The layer with what this kind carries (window, weights, normalization...) filled in from its values, its arg-scope
    /// keys as resolved (<paramref name="args"/>) and its attribute's other named arguments.
    /// </summary>
    public virtual LayerSpec Build(LayerSpec layer, LayerValues values, LayerArgs args, AttributeData data, ScopeChain scopes) => layer;

    /// <summary>Reports the numbers the layer cannot run with (SLIM005 and its kin).</summary>
    public virtual void Check(LayerSpec layer, NumberCheck check) { }

    /// <summary>Reports what is legal but does nothing (a 1x1 pool of stride 1, a dropout of rate 0).</summary>
    public virtual void Warn(LayerSpec layer, NumberCheck check) { }

    /// <summary>The layer's output shape, parameters and MACs for its input, or null after reporting why it has none.</summary>
    public abstract LayerShape? Shape(LayerSpec layer, ShapeStep step);

    /// <summary>How the output channels follow from the input's.</summary>
    public virtual ChannelRule Channels(LayerSpec layer) => ChannelRule.Same;

    /// <summary>The named arguments of the runtime layer's constructor.</summary>
    public abstract void WriteArguments(LayerSpec layer, ConstructorArguments arguments);

    /// <summary>The named argument's int, if given as one.</summary>
    protected static int? NamedInt(AttributeData data, string key) =>
        AttributeReader.Named(data, key) is TypedConstant value ? AttributeReader.Int(value) : null;

    /// <summary>The named argument's number, if given as one.</summary>
    protected static double? NamedDouble(AttributeData data, string key) =>
        AttributeReader.Named(data, key) is TypedConstant value ? AttributeReader.Double(value) : null;
}

/// <summary>
/// What a layer's positional arguments say, whichever attribute wrote them (its own, <c>[Repeat]</c> or
/// <c>[Stack]</c>), and where they were written.
/// </summary>
/// <param name="SizeSource">Where the size (or rate, or the first value) was written.</param>
/// <param name="KernelSource">Where the kernel was written.</param>
internal sealed record LayerValues(SourceRef SizeSource, SourceRef KernelSource)
{
    /// <summary>Filters or units; LocalResponseNorm's depth radius.</summary>
    public long Size { get; init; }

    /// <summary>The size as written when it is a string: an expression, allowed in blocks only.</summary>
    public string? SizeText { get; init; }

    public int KernelHeight { get; init; }

    public int KernelWidth { get; init; }

    /// <summary>A dropout's drop probability.</summary>
    public double Rate { get; init; }
}

/// <summary>How a layer's output channels follow from its input's.</summary>
internal readonly record struct ChannelRule(ChannelRule.Kinds Kind, int Multiplier = 1)
{
    internal enum Kinds
    {
        /// <summary>The input's channels.</summary>
        Same,
        /// <summary>The layer's size (filters, units).</summary>
        Size,
        /// <summary>The input's channels times <see cref="Multiplier"/>.</summary>
        Multiple,
    }

    public static readonly ChannelRule Same = new(Kinds.Same);
    public static readonly ChannelRule Size = new(Kinds.Size);

    public static ChannelRule Times(int multiplier) => multiplier == 1 ? Same : new(Kinds.Multiple, multiplier);
}
