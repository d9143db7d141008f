using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// Reads an <c>[ArgScope]</c> and checks it the same way wherever it is written: on a model class, on a
/// reusable scope class named by <c>[UseArgScope]</c>, or on the assembly.
/// </summary>
internal static class ArgScopeReader
{
    /// <summary>
    /// The scope's ops and keys. Ops and values that no layer can use are reported and left out, so that a
    /// model never inherits them (the error stays where it was written).
    /// </summary>
    /// <param name="diagnostics">Where problems go, located relative to <paramref name="source"/>; null to skip the checks.</param>
    public static ArgScopeSpec Read(AttributeData data, SourceRef source, List<ModelDiagnostic>? diagnostics)
    {
        var written = AttributeReader.Ops(data.ConstructorArguments[0]) ?? ImmutableArray<Op>.Empty;
        var ops = ImmutableArray.CreateBuilder<Op>(written.Length);
        for (int i = 0; i < written.Length; i++)
        {
            if (IsDefined(written[i])) ops.Add(written[i]);
            else diagnostics?.Add(UndefinedOp("[ArgScope]", written[i], source.AtPosition(i)));
        }

        var keys = AttributeReader.Keys(data);
        foreach (var invalid in InvalidValues(keys))
        {
            diagnostics?.Add(invalid.Report("[ArgScope]", source.At(invalid.Key)));
            keys = keys.Without(invalid.Key);
        }
        if (diagnostics is not null)
        {
            foreach (var key in keys.GivenKeys())
            {
                if (!ops.Any(op => LayerKinds.Of(op)?.Reads(key) == true))
                {
                    var listed = ops.Count == 0 ? "no op" : string.Join(", ", ops);
                    diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, source.At(key), "[ArgScope]", key, listed));
                }
            }
        }
        return new ArgScopeSpec(ops.ToImmutable().ToEquatableArray(), keys, source);
    }

    /// <summary>A key whose value no layer can use: the problem, the value as written and the rule it breaks.</summary>
    public sealed record InvalidValue(string Key, DiagnosticDescriptor Problem, string Value, string Rule)
    {
        /// <summary>SLIM005 for the value, naming <paramref name="owner"/> (an attribute or a layer).</summary>
        public ModelDiagnostic Report(string owner, SourceRef source) => ModelDiagnostic.Create(Problem, source, owner, Key, Value, Rule);
    }

    /// <summary>The given keys whose value no layer can use.</summary>
    public static IEnumerable<InvalidValue> InvalidValues(LayerArgs args)
    {
        if (args.Activation is { } activation && !Enum.IsDefined(typeof(Act), activation)) yield return Undefined(nameof(LayerArgs.Activation), activation);
        if (args.Padding is { } padding && !Enum.IsDefined(typeof(Pad), padding)) yield return Undefined(nameof(LayerArgs.Padding), padding);
        if (args.Stride is < 1) yield return new(nameof(LayerArgs.Stride), DiagnosticDescriptors.InvalidNumber, Numbers.Text(args.Stride.Value), "at least 1");
        if (args.WeightsInit is { } weightsInit && !Enum.IsDefined(typeof(Init), weightsInit)) yield return Undefined(nameof(LayerArgs.WeightsInit), weightsInit);
        if (args.WeightsStddev is { } stddev && !IsFiniteAndNotNegative(stddev))
            yield return new(nameof(LayerArgs.WeightsStddev), DiagnosticDescriptors.InvalidNumber, Numbers.Text(stddev), FiniteAndNotNegative);
        if (args.BiasInit is { } biasInit && !Enum.IsDefined(typeof(Init), biasInit)) yield return Undefined(nameof(LayerArgs.BiasInit), biasInit);
        // A bias has one dimension, so it has no fan-in or fan-out for these to scale by (the runtime refuses them).
        if (args.BiasInit is Init.Xavier or Init.XavierNormal or Init.HeNormal or Init.HeUniform)
            yield return new(nameof(LayerArgs.BiasInit), DiagnosticDescriptors.BiasInitWithFans, nameof(Init) + "." + args.BiasInit, BiasInits);
        if (args.WeightDecay is { } decay && !IsFiniteAndNotNegative(decay))
            yield return new(nameof(LayerArgs.WeightDecay), DiagnosticDescriptors.InvalidNumber, Numbers.Text(decay), FiniteAndNotNegative);
        if (args.Normalizer is { } normalizer && !Enum.IsDefined(typeof(Norm), normalizer)) yield return Undefined(nameof(LayerArgs.Normalizer), normalizer);
    }

    public static bool IsDefined(Op op) => Enum.IsDefined(typeof(Op), op);

    /// <summary>SLIM005 for an op that is only a number (<c>(Op)42</c>).</summary>
    public static ModelDiagnostic UndefinedOp(string owner, Op op, SourceRef source) =>
        ModelDiagnostic.Create(DiagnosticDescriptors.UndefinedEnumValue, source, owner, "op", Numbers.Text((int)op), Names(typeof(Op)));

    private static bool IsFiniteAndNotNegative(double value) => value >= 0 && !double.IsInfinity(value);

    private const string FiniteAndNotNegative = "a finite number, zero or more";

    private const string BiasInits = "Init.Default, Init.Zeros, Init.Ones, Init.Normal, Init.Uniform or Init.TruncatedNormal";

    private static InvalidValue Undefined<TEnum>(string key, TEnum value) where TEnum : struct, Enum =>
        new(key, DiagnosticDescriptors.UndefinedEnumValue, Numbers.Text(Convert.ToInt64(value, CultureInfo.InvariantCulture)), Names(typeof(TEnum)));

    private static string Names(Type enumType) => string.Join(", ", Enum.GetNames(enumType).Select(name => enumType.Name + "." + name));
}
