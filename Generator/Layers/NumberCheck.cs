using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Layers;

/// <summary>Where a layer kind reports the numbers of one layer: the layer's label and the places its values were written.</summary>
internal sealed class NumberCheck
{
    private readonly List<ModelDiagnostic> _diagnostics;

    /// <param name="label">The layer as messages name it: <c>'conv1/conv1_2'</c>.</param>
    /// <param name="source">The attribute that wrote the layer; named arguments are located on it.</param>
    /// <param name="values">Where its positional values were written.</param>
    /// <param name="windowWarningSource">Where a warning about the whole window goes (a stack's value, else the attribute).</param>
    public NumberCheck(string label, SourceRef source, LayerValues values, SourceRef windowWarningSource, List<ModelDiagnostic> diagnostics)
    {
        Label = label;
        Source = source;
        Values = values;
        WindowWarningSource = windowWarningSource;
        _diagnostics = diagnostics;
    }

    public string Label { get; }

    public SourceRef Source { get; }

    public LayerValues Values { get; }

    public SourceRef WindowWarningSource { get; }

    /// <summary>SLIM005: <paramref name="what"/> is <paramref name="value"/>, against <paramref name="rule"/>.</summary>
    public void Invalid(SourceRef where, string what, string value, string rule) =>
        _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidNumber, where, Label, what, value, rule));

    /// <summary>SLIM005 for the named argument <paramref name="key"/> of the attribute.</summary>
    public void Invalid(string key, string value, string rule) => Invalid(Source.At(key), key, value, rule);

    public void Report(DiagnosticDescriptor descriptor, SourceRef where, params object[] args) =>
        _diagnostics.Add(ModelDiagnostic.Create(descriptor, where, args));
}
