using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Tests;

/// <summary>Runs the parser and the shape inference on one model, as the generator does.</summary>
internal static class ModelAnalysis
{
    public static (ParseOutcome Parse, ShapeReport? Shapes) Analyze(string source, string className) =>
        Analyze(source, className, out _);

    /// <summary>The same, with the blocks the model uses (as the analyzer resolves them).</summary>
    public static (ParseOutcome Parse, ShapeReport? Shapes) Analyze(string source, string className, out BlockTable blocks)
    {
        var compilation = GeneratorHarness.Compile(source);
        var declaration = compilation.SyntaxTrees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .First(c => c.Identifier.Text == className);
        var type = (INamedTypeSymbol)compilation.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration)!;
        var outcome = ModelParser.Parse(type, declaration, CancellationToken.None);
        blocks = BlockResolver.UsedBy(type, CancellationToken.None);
        return (outcome, outcome.Spec is null ? null : ShapeInference.Infer(outcome.Spec, blocks));
    }

    /// <summary>Every diagnostic of the model, parser's then shapes', as "ID@Kind#Index:Argument".</summary>
    public static IReadOnlyList<string> Diagnostics(string source, string className = "Net")
    {
        var (parse, _) = Analyze(source, className, out var blocks);
        return ModelCheck.Run(parse, blocks).Diagnostics.Select(d => $"{d.Id}@{d.Source.Kind}#{d.Source.Index}:{d.Source.Argument}").ToList();
    }

    /// <summary>Every diagnostic's message, as the compiler prints it.</summary>
    public static IReadOnlyList<string> Messages(string source, string className = "Net")
    {
        var (parse, _) = Analyze(source, className, out var blocks);
        return ModelCheck.Run(parse, blocks).Diagnostics.Select(DiagnosticDescriptors.Message).ToList();
    }
}
