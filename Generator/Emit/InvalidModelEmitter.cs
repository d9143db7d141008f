using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Emit;

/// <summary>
/// Writes the public members of a model with SLIM errors, each throwing those errors: the code that uses the model
/// keeps compiling, so the SLIM diagnostics at their causes are the build's only errors, not one per use.
/// </summary>
internal sealed class InvalidModelEmitter : ModelFileWriter
{
    private const string Errors = "SlimErrors";
    private const string ThrowFromBaseCall = "ThrowSlimErrors";

    private readonly EquatableArray<ModelDiagnostic> _errors;

    public InvalidModelEmitter(ModelSpec spec, EquatableArray<ModelDiagnostic> errors, TextWriter output)
        : base(spec, output)
    {
        _errors = errors;
    }

    protected override void WriteMembers()
    {
        var always = $"/// <exception cref=\"global::SlimGen.InvalidModelException\">Always, until the SLIM errors of {Spec.ClassName} are fixed.</exception>";
        Line($"// The attributes of {Spec.ClassName} have SLIM errors, which the build reports where they are. Until they are");
        Line("// fixed, its members are here only so that the code using them compiles; each throws the errors.");
        Line();
        Line($"/// <summary>The SLIM errors in the attributes of {Spec.ClassName}, which every member throws.</summary>");
        var messages = _errors.Select(error => SymbolDisplay.FormatLiteral($"{error.Id}: {DiagnosticDescriptors.Message(error)}", quote: true));
        WriteCall($"private static global::SlimGen.InvalidModelException {Errors}() => new global::SlimGen.InvalidModelException(",
            new[] { ClassNameLiteral }.Concat(messages).ToList(), ");");
        Line();
        Line("/// <summary>Throws the errors where the constructor calls its base, before TorchSharp's native constructor.</summary>");
        Line($"private static string {ThrowFromBaseCall}() => throw {Errors}();");
        Line();

        Line("/// <summary>Per-example input shape declared by [SlimModel].</summary>");
        Line(always);
        Line($"public static {InputShapeType} InputShape => throw {Errors}();");
        Line();
        Line("/// <summary>Layer table computed at compile time.</summary>");
        Line(always);
        Line($"public static {SummaryType} Summary => throw {Errors}();");
        Line();
        WriteInterfaceSummary();
        Line();
        Line("/// <summary>Would create the model.</summary>");
        Line(always);
        WriteConstructorSignature();
        Indent++;
        Line($": base({ThrowFromBaseCall}())");
        Indent--;
        Open();
        Close();
        Line();
        Line("/// <summary>Would run the network.</summary>");
        Line(always);
        Line($"public override {Tensor} forward({Tensor} input) => throw {Errors}();");
        Line();
        Line("/// <summary>Would run the network and return every layer's activation by TF-Slim name.</summary>");
        Line(always);
        Line($"public {ForwardWithEndpointsResult} ForwardWithEndpoints({Tensor} input) => throw {Errors}();");
        Line();
        Line("/// <summary>Would compute TF-Slim's regularization loss.</summary>");
        Line(always);
        Line($"public {Tensor} RegularizationLoss() => throw {Errors}();");
    }
}
