namespace SlimGen.Generator.Model;

/// <summary>Where in the model's source an attribute comes from.</summary>
internal enum SourceKind
{
    /// <summary>The class identifier.</summary>
    Class,
    /// <summary>The <c>[SlimModel]</c> attribute, or a block's <c>[SlimBlock]</c>.</summary>
    ModelAttribute,
    /// <summary>A block's <c>[Residual]</c>.</summary>
    Residual,
    /// <summary>A layer attribute (or a block's <c>[Branch]</c> or <c>[Concat]</c>); the index counts them in source order.</summary>
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
