namespace SlimGen.Generator.Model;

/// <summary>
/// A constructor parameter that layers declare with <c>Parameter = "name"</c>. Kept in the spec even when its layers
/// have errors, so that the constructor of a model with SLIM errors still takes it.
/// </summary>
/// <param name="Default">The attribute's value: a size (an int, exact in a double) or a rate.</param>
internal sealed record ModelParameter(string Name, ParameterKind Kind, double Default);
