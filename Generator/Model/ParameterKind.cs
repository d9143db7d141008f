namespace SlimGen.Generator.Model;

/// <summary>What a constructor parameter sets: the filters or units of layers, or a dropout rate.</summary>
internal enum ParameterKind
{
    Size,
    Rate,
}
