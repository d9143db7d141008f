using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

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

    /// <summary>Everything the emitter needs about a model; compares by value for incremental caching.</summary>
    /// <param name="Namespace">Containing namespace, null for the global namespace.</param>
    /// <param name="ContainingTypes">Declarations of enclosing types, outermost first (<c>partial class Outer</c>).</param>
    /// <param name="DeclaresBaseType">Whether the user wrote a base type, so the generator must not add one.</param>
    /// <param name="Parameters">The constructor's parameters before <c>device</c> and <c>dtype</c>, in declaration order.</param>
    internal sealed record ModelSpec(
        string? Namespace,
        EquatableArray<string> ContainingTypes,
        string ClassName,
        bool DeclaresBaseType,
        EquatableArray<int> InputShape,
        EquatableArray<int>? OutputShape,
        EquatableArray<LayerSpec> Layers,
        EquatableArray<ModelParameter> Parameters);

    /// <summary>A problem found in a model, located by <see cref="Source"/>; its text comes from the descriptor.</summary>
    /// <param name="Descriptor">The problem: an immutable value that compares by its id, title and message format.</param>
    /// <param name="Suggestion">
    /// A value a code fix can write at <see cref="Source"/> when only the model knows it (a scope name that is
    /// free, for a duplicate scope); null otherwise.
    /// </param>
    internal sealed record ModelDiagnostic(DiagnosticDescriptor Descriptor, SourceRef Source, EquatableArray<string> MessageArgs, string? Suggestion = null)
    {
        public string Id => Descriptor.Id;

        public static ModelDiagnostic Create(DiagnosticDescriptor descriptor, SourceRef source, params object[] args) =>
            new(descriptor, source, args.Select(Text).ToEquatableArray());

        private static string Text(object arg) => arg switch
        {
            double value => Numbers.Text(value),
            long value => Numbers.Text(value),
            int value => Numbers.Text(value),
            _ => System.Convert.ToString(arg, CultureInfo.InvariantCulture) ?? "",
        };
    }
}
