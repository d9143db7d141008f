namespace SlimGen.Generator.Model
{
    /// <summary>One concrete layer after repeat/stack expansion and arg-scope resolution.</summary>
    /// <param name="Source">The attribute the layer comes from.</param>
    /// <param name="Op">The layer kind.</param>
    /// <param name="Group">The repeat/stack scope it belongs to, if any (<c>conv1</c>).</param>
    /// <param name="Name">Leaf name: field name and last state_dict segment (<c>conv1_2</c>).</param>
    /// <param name="Size">Filters of a convolution, units of a dense layer; unused otherwise.</param>
    /// <param name="Parameter">Constructor parameter that overrides <see cref="Size"/> or <see cref="Rate"/>.</param>
    internal sealed record LayerSpec(
        SourceRef Source,
        Op Op,
        string? Group,
        string Name,
        long Size,
        int Kernel,
        int Stride,
        Pad Padding,
        Act Activation,
        Init WeightsInit,
        double WeightsStddev,
        Init BiasInit,
        double WeightDecay,
        bool UseBias,
        Norm Normalizer,
        double Rate,
        double Epsilon,
        double Momentum,
        string? Parameter)
    {
        /// <summary>TF-Slim name, used for end points and the summary: <c>conv1/conv1_2</c>.</summary>
        public string Path => Group is null ? Name : Group + "/" + Name;

        /// <summary>Whether the layer owns a bias (TF-Slim drops it when a normalizer follows).</summary>
        public bool HasBias => UseBias && Normalizer == Norm.None;
    }
}
