using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Emit;

/// <summary>The C# that builds a layer, shared by models and blocks.</summary>
internal static class LayerCode
{
    public const string Layers = "global::SlimGen.Layers";

    /// <summary>The field's type: SlimGen's layer, or the block's class.</summary>
    public static string TypeOf(LayerSpec layer) => layer.Block is { } block ? block.TypeName : Layers + "." + layer.Op;

    /// <summary>
    /// A field name: the name, with <c>@</c> when that is a C# keyword (<c>Scope = "out"</c> names the field
    /// <c>@out</c> and the state_dict key <c>out</c>).
    /// </summary>
    public static string Field(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>Named constructor arguments of a layer that is not a block use, as its kind writes them.</summary>
    /// <param name="inputs">C# for the layer's input channels (or features).</param>
    /// <param name="size">C# for its filters or units.</param>
    /// <param name="stride">C# for its stride, when it takes the block's.</param>
    public static IReadOnlyList<string> ConstructorArguments(LayerSpec layer, string inputs, string size, string? stride = null)
    {
        var arguments = new ConstructorArguments(inputs, size, stride);
        LayerKinds.Of(layer).WriteArguments(layer, arguments);
        return arguments.List;
    }
}
