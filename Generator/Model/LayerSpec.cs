namespace SlimGen.Generator.Model;

/// <summary>
/// One concrete layer after repeat/stack expansion and arg-scope resolution. What only some kinds of layer have
/// comes in a payload per kind, built with named arguments: <see cref="Window"/> for convolutions and pools,
/// <see cref="Weights"/> for convolutions and dense layers, <see cref="Normalization"/> for batch norm,
/// <see cref="Block"/> for a block use and <see cref="Branches"/> for a concat.
/// </summary>
/// <param name="Source">The attribute the layer comes from.</param>
/// <param name="Op">The layer kind.</param>
/// <param name="Group">The repeat/stack scope it belongs to, if any (<c>conv1</c>).</param>
/// <param name="Name">Leaf name: field name and last state_dict segment (<c>conv1_2</c>).</param>
internal sealed record LayerSpec(SourceRef Source, Op Op, string? Group, string Name)
{
    /// <summary>Filters of a convolution, units of a dense layer; 0 otherwise.</summary>
    public long Size { get; init; }

    /// <summary>In a block: the size as an expression over the block's parameters, instead of <see cref="Size"/>.</summary>
    public Expression? SizeExpression { get; init; }

    /// <summary>Filters per input channel of a depthwise convolution.</summary>
    public int Multiplier { get; init; } = 1;

    /// <summary>Channel groups of a convolution (ResNeXt's cardinality).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Drop probability of a dropout layer; 0 otherwise.</summary>
    public double Rate { get; init; }

    /// <summary>Constructor parameter that overrides <see cref="Size"/> or <see cref="Rate"/>.</summary>
    public string? Parameter { get; init; }

    public WindowSpec? Window { get; init; }

    public WeightsSpec? Weights { get; init; }

    public NormalizationSpec? Normalization { get; init; }

    public ResponseNormalizationSpec? ResponseNormalization { get; init; }

    public BlockUseSpec? Block { get; init; }

    /// <summary>Whether the block use is an auxiliary head: it reads the output before it and the network goes on from there.</summary>
    public bool IsAuxHead { get; init; }

    public EquatableArray<BranchSpec>? Branches { get; init; }

    /// <summary>TF-Slim name, used for end points and the summary: <c>conv1/conv1_2</c>.</summary>
    public string Path => Group is null ? Name : Group + "/" + Name;
}
