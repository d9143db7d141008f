using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>
/// One dimension of a per-example shape: its value at compile time and, when it comes from a
/// constructor parameter, the C# expression that computes it at run time.
/// </summary>
internal readonly record struct Dim(long Value, string? Expression = null)
{
    /// <summary>C# code for the dimension.</summary>
    public string Code => Expression ?? Numbers.Text(Value);

    public override string ToString() => Code;
}
