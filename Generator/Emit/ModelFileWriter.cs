using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Emit;

/// <summary>The generated half of a model class: its emitters share the spec and the constructor's signature.</summary>
internal abstract class ModelFileWriter : ClassFileWriter
{
    protected ModelFileWriter(ModelSpec spec, TextWriter output)
        : base(spec.Namespace, spec.ContainingTypes, spec.ClassName, spec.DeclaresBaseType, output)
    {
        Spec = spec;
    }

    protected ModelSpec Spec { get; }

    protected const string ModelInterface = "global::SlimGen.ISlimModel";

    protected override IReadOnlyList<string> Interfaces { get; } = new[] { ModelInterface };

    /// <summary>The interface's summary: the class's static one, which the interface cannot require.</summary>
    protected void WriteInterfaceSummary() => Line($"{SummaryType} {ModelInterface}.Summary => Summary;");

    public static string HintName(ModelSpec spec) => HintName(spec.Namespace, spec.ContainingTypes, spec.ClassName);

    /// <summary>The model's code, or for a model with SLIM errors its members that throw them.</summary>
    public static string Emit(GenerationInput input)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        ModelFileWriter writer = input.Shapes is { } shapes
            ? new ModelEmitter(input.Spec, shapes, input.Blocks, output)
            : new InvalidModelEmitter(input.Spec, input.Errors, output);
        writer.WriteFile();
        return output.ToString();
    }

    /// <summary><c>public Model(... model parameters, device, dtype)</c>: every parameter optional.</summary>
    protected void WriteConstructorSignature()
    {
        var signature = Spec.Parameters
            .Select(p => p.Kind switch
            {
                ParameterKind.Rate => $"double {p.Name} = {Numbers.DoubleLiteral(p.Default)}",
                ParameterKind.Switch => $"bool {p.Name} = false",
                _ => $"long {p.Name} = {Numbers.Text((long)p.Default)}",
            })
            .Concat(new[] { $"{Torch}.Device? device = null", $"{Torch}.ScalarType? dtype = null" })
            .ToList();
        WriteCall($"public {Spec.ClassName}(", signature, ")");
    }
}
