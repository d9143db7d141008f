using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// Names a layer's field must not take: the members of the model's base class, which the field would hide, and the
/// names the generated code declares.
/// </summary>
internal static class ReservedNames
{
    /// <summary>Members, parameters and locals of the generated code.</summary>
    private static readonly string[] Generated =
    {
        "Summary", "InputShape", "ForwardWithEndpoints", "RegularizationLoss", "s_inputShape",
        "device", "dtype", "input", "x", "scope", "endpoints", "loss",
    };

    /// <summary>
    /// The reserved names for <paramref name="model"/>: read from its base class, TorchSharp's
    /// <c>Module&lt;Tensor, Tensor&gt;</c> when SlimGen adds it, so that they follow the TorchSharp version in use.
    /// </summary>
    public static HashSet<string> Of(INamedTypeSymbol model)
    {
        var names = new HashSet<string>(Generated);
        var baseType = model.BaseType is { SpecialType: not SpecialType.System_Object } declared ? declared : TensorModule(model) ?? model.BaseType;
        for (var type = baseType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.CanBeReferencedByName && member.DeclaredAccessibility != Accessibility.Private)
                {
                    names.Add(member.Name);
                }
            }
        }
        return names;
    }

    /// <summary>The base SlimGen adds, from the TorchSharp the model's assembly references.</summary>
    private static INamedTypeSymbol? TensorModule(INamedTypeSymbol model) =>
        model.ContainingModule.ReferencedAssemblySymbols
            .FirstOrDefault(assembly => assembly.Name == "TorchSharp")
            ?.GetTypeByMetadataName("TorchSharp.torch+nn+Module`2");
}
