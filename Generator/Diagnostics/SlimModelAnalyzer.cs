using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Parsing;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Diagnostics
{
    /// <summary>
    /// Reports every model problem while the user types, on the attribute or argument that causes it.
    /// It runs the generator's own parser and shape inference, so the two can never disagree.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SlimModelAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            context.RegisterCompilationAction(AnalyzeAssemblyScopes);
        }

        private static void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(context.CancellationToken) is not TypeDeclarationSyntax declaration) continue;
                var attributes = AttributeReader.Classify(type, declaration);
                if (attributes.Any(a => a.Role == AttributeRole.Model))
                {
                    AnalyzeModel(context, type, declaration, attributes);
                }
                else
                {
                    // A reusable scope class: its keys are checked here, once, rather than at every use.
                    foreach (var scope in attributes.Where(a => a.Role == AttributeRole.ArgScope && a.Data is not null))
                    {
                        ReportKeysThatApplyToNoOp(scope.Data!, key => ArgumentLocation(scope.Syntax, key), context.ReportDiagnostic);
                    }
                }
            }
        }

        private static void AnalyzeModel(SymbolAnalysisContext context, INamedTypeSymbol type, TypeDeclarationSyntax declaration, ImmutableArray<ClassifiedAttribute> attributes)
        {
            var outcome = ModelParser.Parse(type, declaration, context.CancellationToken);
            foreach (var diagnostic in ModelCheck.Run(outcome).Diagnostics)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.Get(diagnostic.Id),
                    Locate(diagnostic.Source, declaration, attributes),
                    diagnostic.MessageArgs.Cast<object>().ToArray()));
            }
        }

        private static void AnalyzeAssemblyScopes(CompilationAnalysisContext context)
        {
            foreach (var data in context.Compilation.Assembly.GetAttributes())
            {
                if (KnownAttributes.RoleOf(data.AttributeClass, out _) != AttributeRole.ArgScope
                    || data.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax)
                {
                    continue;
                }
                ReportKeysThatApplyToNoOp(data, key => ArgumentLocation(syntax, key), context.ReportDiagnostic);
            }
        }

        private static void ReportKeysThatApplyToNoOp(AttributeData data, System.Func<string, Location> locate, System.Action<Diagnostic> report)
        {
            if (!AttributeReader.IsWellFormed(data)) return;
            var ops = AttributeReader.Ops(data.ConstructorArguments[0]) ?? ImmutableArray<Op>.Empty;
            foreach (var key in AttributeReader.Keys(data).GivenKeys())
            {
                if (!ops.Any(op => OpRules.Applies(op, key)))
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.KeyDoesNotApply, locate(key),
                        "[ArgScope]", key, ops.IsEmpty ? "no op" : string.Join(", ", ops)));
                }
            }
        }

        /// <summary>Turns a <see cref="SourceRef"/> back into the narrowest location that exists.</summary>
        internal static Location Locate(SourceRef source, TypeDeclarationSyntax declaration, ImmutableArray<ClassifiedAttribute> attributes)
        {
            if (source.Kind == SourceKind.Class) return declaration.Identifier.GetLocation();

            foreach (var attribute in attributes)
            {
                if (attribute.Source.Kind == source.Kind && attribute.Source.Index == source.Index)
                {
                    return source.Argument is null ? attribute.Syntax.GetLocation() : ArgumentLocation(attribute.Syntax, source.Argument);
                }
            }
            return declaration.Identifier.GetLocation();
        }

        /// <summary>A named argument (<c>Scope</c>) or a positional one (<c>#2</c>, counting params elements); else the attribute.</summary>
        private static Location ArgumentLocation(AttributeSyntax attribute, string argument)
        {
            var arguments = attribute.ArgumentList?.Arguments ?? default;
            if (argument.StartsWith("#", System.StringComparison.Ordinal) && int.TryParse(argument.Substring(1), out var position))
            {
                var positional = arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
                if (position < positional.Count) return positional[position].GetLocation();
            }
            else
            {
                foreach (var candidate in arguments)
                {
                    if (candidate.NameEquals?.Name.Identifier.ValueText == argument) return candidate.GetLocation();
                }
            }
            return attribute.GetLocation();
        }
    }
}
