namespace SlimGen.Generator.Model;

/// <summary>What a constructor parameter sets: the filters or units of layers, a dropout rate, or whether an auxiliary head is built.</summary>
internal enum ParameterKind
{
    Size,
    Rate,
    Switch,
}
