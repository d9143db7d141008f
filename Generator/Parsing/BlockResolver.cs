using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// The blocks a class uses, found through its attributes' <c>typeof</c> arguments and parsed from their declarations:
/// what the analyzer, which sees the whole compilation, hands to the shape check (the generator collects the same
/// outcomes from its own pipeline).
/// </summary>
internal static class BlockResolver
{
    public static BlockTable UsedBy(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, BlockOutcome>();
        var pending = new Stack<INamedTypeSymbol>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var block in UsedBlocks(pending.Pop()))
            {
                var name = block.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                if (outcomes.ContainsKey(name) || Declaration(block, cancellationToken) is not { } declaration) continue;
                outcomes[name] = BlockParser.Parse(block, declaration, cancellationToken);
                pending.Push(block);
            }
        }
        return new BlockTable(outcomes.Values);
    }

    /// <summary>The declaration that carries <c>[SlimBlock]</c>, whose attributes are the block.</summary>
    public static TypeDeclarationSyntax? Declaration(INamedTypeSymbol block, CancellationToken cancellationToken) =>
        block.GetAttributes()
            .Where(a => KnownAttributes.RoleOf(a.AttributeClass, out _) == AttributeRole.Block)
            .Select(a => a.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>())
            .FirstOrDefault(d => d is not null);

    private static IEnumerable<INamedTypeSymbol> UsedBlocks(INamedTypeSymbol type) =>
        type.GetAttributes()
            .Where(a => KnownAttributes.RoleOf(a.AttributeClass, out var op) is AttributeRole.Repeat || op == Op.Block)
            .SelectMany(a => a.ConstructorArguments)
            .Where(argument => argument.Kind == TypedConstantKind.Type)
            .Select(argument => argument.Value)
            .OfType<INamedTypeSymbol>();
}
