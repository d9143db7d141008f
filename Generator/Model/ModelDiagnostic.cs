using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SlimGen.Generator.Model;

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
