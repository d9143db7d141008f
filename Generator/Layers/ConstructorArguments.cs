using System.Collections.Generic;

namespace SlimGen.Generator.Layers;

/// <summary>The named arguments of a runtime layer's constructor, as C#, in the order the kind adds them.</summary>
internal sealed class ConstructorArguments
{
    private readonly List<string> _arguments = new();

    /// <param name="inputs">C# for the layer's input channels (or features).</param>
    /// <param name="size">C# for its filters or units (a constructor parameter's name, or a block's expression).</param>
    /// <param name="stride">C# for its stride, when it takes the block's.</param>
    public ConstructorArguments(string inputs, string size, string? stride)
    {
        Inputs = inputs;
        Size = size;
        Stride = stride;
    }

    public string Inputs { get; }

    public string Size { get; }

    public string? Stride { get; }

    public IReadOnlyList<string> List => _arguments;

    public void Add(string name, string value) => _arguments.Add(name + ": " + value);

    /// <summary>Where the layer's parameters live, always last.</summary>
    public void AddDevice() => _arguments.Add("device: device, dtype: dtype");

    /// <summary>C# for a value of one of SlimGen's enums: <c>global::SlimGen.Act.Relu</c>.</summary>
    public static string Enum(string type, object value) => $"global::SlimGen.{type}.{value}";
}
