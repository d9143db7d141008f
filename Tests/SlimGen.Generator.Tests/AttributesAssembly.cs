using System;
using System.Reflection;

namespace SlimGen.Generator.Tests;

/// <summary>
/// SlimGen.Attributes, which generated models reference. Its attribute types are compiled into the generator too
/// (internal there, visible to these tests), so they are named through a type only this assembly has.
/// </summary>
internal static class AttributesAssembly
{
    public static readonly Assembly Value = typeof(ShapeMismatchException).Assembly;

    /// <summary>The <c>[SlimModel]</c> attribute that compiled models carry.</summary>
    public static readonly Type SlimModel = Value.GetType("SlimGen.SlimModelAttribute", throwOnError: true)!;
}
