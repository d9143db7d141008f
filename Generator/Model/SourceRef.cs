namespace SlimGen.Generator.Model
{
    /// <summary>Where in the model's source an attribute comes from.</summary>
    internal enum SourceKind
    {
        /// <summary>The class identifier.</summary>
        Class,
        /// <summary>The <c>[SlimModel]</c> attribute.</summary>
        ModelAttribute,
        /// <summary>A layer attribute; the index counts layer attributes in source order.</summary>
        Layer,
        /// <summary>An <c>[ArgScope]</c> on the class; the index counts them in source order.</summary>
        ArgScope,
        /// <summary>A <c>[UseArgScope]</c> on the class; the index counts them in source order.</summary>
        UseArgScope,
        /// <summary>
        /// An attribute on another partial declaration of the model class; the index is its position in the
        /// class symbol's <c>GetAttributes()</c>, which the analyzer reads again to find it.
        /// </summary>
        OtherDeclaration,
    }

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
}
