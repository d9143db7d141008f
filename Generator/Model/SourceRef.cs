namespace SlimGen.Generator.Model;

/// <summary>
/// A position in the model's attributes without any Roslyn type, so it can live in the cached model;
/// the analyzer turns it back into a location. <see cref="Argument"/> is a named argument's name or
/// <c>#i</c> for the i-th positional argument.
/// </summary>
internal readonly record struct SourceRef(SourceKind Kind, int Index = 0, string? Argument = null)
{
    public static readonly SourceRef Class = new(SourceKind.Class);

    public SourceRef At(string argument) => this with { Argument = argument };

    public SourceRef AtPosition(int position) => this with { Argument = "#" + position };
}
