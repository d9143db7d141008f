using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SlimGen.Generator.Diagnostics
{
    /// <summary>
    /// SLIM020: a layer kind such as <c>Conv2d</c>, written bare in a SlimGen attribute (<c>[ArgScope(Conv2d, ...)]</c>)
    /// for <c>using static SlimGen.Op;</c>, that binds to a method of the same name instead, as the methods of
    /// <c>TorchSharp.torch.nn</c> do under <c>using static TorchSharp.torch.nn;</c>. The compiler says only that a
    /// method group does not convert to <c>Op</c> (CS1503); this says why, and the code fix writes <c>Op.Conv2d</c>.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class OpNameAnalyzer : DiagnosticAnalyzer
    {
        private const string OpTypeName = "SlimGen.Op";

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.OpNameHidden);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName(OpTypeName) is { TypeKind: TypeKind.Enum } op)
                {
                    start.RegisterSyntaxNodeAction(node => AnalyzeArgument(node, op), SyntaxKind.AttributeArgument);
                }
            });
        }

        private static void AnalyzeArgument(SyntaxNodeAnalysisContext context, INamedTypeSymbol op)
        {
            var argument = (AttributeArgumentSyntax)context.Node;
            if (argument.NameEquals is not null || argument.Expression is not IdentifierNameSyntax identifier) return;
            string name = identifier.Identifier.ValueText;
            if (op.GetMembers(name).IsEmpty) return;
            if (argument.Parent?.Parent is not AttributeSyntax attribute ||
                context.SemanticModel.GetTypeInfo(attribute, context.CancellationToken).Type is not { } attributeType ||
                !SymbolEqualityComparer.Default.Equals(attributeType.ContainingAssembly, op.ContainingAssembly))
            {
                return;
            }

            // Only a method group: it can never be an attribute argument, so the user meant the layer kind.
            var binding = context.SemanticModel.GetSymbolInfo(identifier, context.CancellationToken);
            var method = (binding.Symbol is null ? binding.CandidateSymbols : ImmutableArray.Create(binding.Symbol)).OfType<IMethodSymbol>().FirstOrDefault();
            if (method is null) return;
            string meaning = method.ContainingType is null ? name : method.ContainingType.ToDisplayString() + "." + name;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OpNameHidden, identifier.GetLocation(), name, meaning));
        }
    }
}
