using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Parsing;

/// <summary>
/// Turns a <c>[SlimBlock]</c> class into a <see cref="BlockSpec"/>: its parameters, its body in source order (branch
/// groups closed by <c>[Concat]</c>) and its residual add, with the block's own arg scopes. Never throws on user input.
/// </summary>
internal static class BlockParser
{
    /// <summary>Names the generated block declares besides its layers.</summary>
    private static readonly string[] GeneratedNames =
        { "inChannels", "stride", "shortcut", "subsample", "RegularizationLoss", "adds", "identity", "preactivated" };

    public static BlockOutcome Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var diagnostics = new List<ModelDiagnostic>();
        var attributes = AttributeReader.Classify(type, declaration);
        var marker = attributes.FirstOrDefault(a => a.Role == AttributeRole.Block);
        if (ModelParser.IsHalfTyped(declaration) || marker.Data is null
            || attributes.Any(a => a.Data is null || !AttributeReader.IsWellFormed(a.Data)) || type.BaseType?.TypeKind == TypeKind.Error)
        {
            return new BlockOutcome(typeName, null, EquatableArray<ModelDiagnostic>.Empty);
        }
        if (attributes.Any(a => a.Role == AttributeRole.Model))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NotABlock, SourceRef.Class, type.Name, "a class is either a [SlimModel] or a [SlimBlock]; remove one"));
            return new BlockOutcome(typeName, null, diagnostics.ToEquatableArray());
        }
        if (!ModelParser.CheckClass(type, declaration, diagnostics, out var containingTypes))
        {
            return new BlockOutcome(typeName, null, diagnostics.ToEquatableArray());
        }

        var parameters = ReadParameters(marker, diagnostics);
        var reserved = ReservedNames.Of(type);
        reserved.UnionWith(GeneratedNames);
        reserved.UnionWith(parameters);
        var scopes = new ScopeChain(
            attributes.Where(a => a.Role == AttributeRole.ArgScope).Select(a => ArgScopeReader.Read(a.Data!, a.Source, diagnostics)).ToImmutableArray(),
            ModelParser.ReadUsedScopes(attributes),
            ModelParser.AssemblyScopes(type.ContainingAssembly));

        var body = ReadBody(attributes, scopes, type.Name, reserved, parameters, diagnostics, cancellationToken);
        if (body.Count == 0 && !diagnostics.Any(d => d.Source.Kind == SourceKind.Layer))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.NoLayers, SourceRef.Class, type.Name));
        }
        var residual = ReadResidual(attributes, scopes, body, diagnostics);

        var spec = new BlockSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            containingTypes,
            type.Name,
            typeName,
            ModelParser.DeclaredBaseType(type) is not null,
            parameters.ToEquatableArray(),
            body.ToEquatableArray(),
            residual);
        return new BlockOutcome(typeName, spec, diagnostics.ToEquatableArray());
    }

    private static ImmutableArray<string> ReadParameters(ClassifiedAttribute marker, List<ModelDiagnostic> diagnostics)
    {
        var written = AttributeReader.Strings(marker.Data!.ConstructorArguments[0]) ?? ImmutableArray<string>.Empty;
        var result = ImmutableArray.CreateBuilder<string>();
        for (int i = 0; i < written.Length; i++)
        {
            var name = written[i];
            bool usable = SyntaxFacts.IsValidIdentifier(name) && !name.StartsWith("@", System.StringComparison.Ordinal)
                && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && !GeneratedNames.Contains(name)
                && name is not ("device" or "dtype" or Expression.InputChannels) && !result.Contains(name);
            if (usable) result.Add(name);
            else diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ParameterNotIdentifier, marker.Source.AtPosition(i), name, "the block (each name once)"));
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// The body: runs of layers, and branch groups that become one <see cref="Op.Concat"/> layer. Branch scopes are
    /// names of the block; each branch's layers have names of their own (branches often reuse <c>Conv2d_0a_1x1</c>).
    /// </summary>
    private static List<LayerSpec> ReadBody(ImmutableArray<ClassifiedAttribute> attributes, ScopeChain scopes, string className,
        HashSet<string> reserved, ImmutableArray<string> parameters, List<ModelDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var trunk = new LayerExpander(scopes, className, reserved, diagnostics, parameters);
        var body = new List<LayerSpec>();
        var run = new List<ClassifiedAttribute>();
        List<BranchSpec>? group = null;
        (string Name, SourceRef Source, LayerExpander Expander)? branch = null;
        SourceRef groupSource = default;

        void Flush()
        {
            if (run.Count == 0) return;
            if (branch is { } open)
            {
                var layers = open.Expander.Expand(run, cancellationToken);
                var index = group!.FindIndex(b => b.Name == open.Name);
                group[index] = group[index] with { Layers = group[index].Layers.Concat(layers).ToEquatableArray() };
            }
            else
            {
                body.AddRange(trunk.Expand(run, cancellationToken));
            }
            run.Clear();
        }

        foreach (var attribute in attributes)
        {
            switch (attribute.Role)
            {
                case AttributeRole.Layer or AttributeRole.Repeat or AttributeRole.Stack:
                    run.Add(attribute);
                    break;
                case AttributeRole.Branch:
                    Flush();
                    var name = AttributeReader.String(attribute.Data!.ConstructorArguments[0]) ?? "";
                    if (group is null)
                    {
                        group = new List<BranchSpec>();
                        groupSource = attribute.Source;
                    }
                    // A clash is reported; the branch's layers are still read, so that their own problems show too.
                    trunk.TryReserve(name, attribute.Source.AtPosition(0));
                    branch = (name, attribute.Source, new LayerExpander(scopes, className, reserved, diagnostics, parameters));
                    group.Add(new BranchSpec(name, attribute.Source, EquatableArray<LayerSpec>.Empty));
                    break;
                case AttributeRole.Concat:
                    Flush();
                    if (group is null)
                    {
                        diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.MisplacedBranch, attribute.Source,
                            "[Concat] has no branches to join; start each branch with [Branch(\"name\")] before it"));
                        break;
                    }
                    var concatName = trunk.ReserveDefaultName("concat");
                    body.Add(new LayerSpec(groupSource, Op.Concat, Group: null, concatName) { Branches = group.ToEquatableArray() });
                    group = null;
                    branch = null;
                    break;
            }
        }
        Flush();
        if (group is not null)
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.MisplacedBranch, groupSource,
                "These branches are never joined; end them with [Concat]"));
        }
        return body;
    }

    private static ResidualSpec? ReadResidual(ImmutableArray<ClassifiedAttribute> attributes, ScopeChain scopes, List<LayerSpec> body, List<ModelDiagnostic> diagnostics)
    {
        var attribute = attributes.FirstOrDefault(a => a.Role == AttributeRole.Residual);
        if (attribute.Data is null) return null;
        var data = attribute.Data;
        var shortcut = AttributeReader.Named(data, nameof(ResidualAttribute.Shortcut)) is TypedConstant s ? (Shortcut)(AttributeReader.Int(s) ?? 0) : Shortcut.Identity;
        var activation = AttributeReader.Named(data, nameof(ResidualAttribute.Activation)) is TypedConstant a ? (Act)(AttributeReader.Int(a) ?? 0) : Act.None;
        bool preactivation = AttributeReader.Named(data, nameof(ResidualAttribute.Preactivation)) is { Value: true };
        if (preactivation && (body.Count == 0 || body[0].Op != Op.BatchNorm))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.PreactivationWithoutBatchNorm, attribute.Source.At(nameof(ResidualAttribute.Preactivation))));
        }

        // The projection is a 1x1 convolution as the block's convolutions are configured, without activation or bias
        // of its own when a normalizer follows (TF-Slim's 'shortcut', torchvision's 'downsample'). After a
        // pre-activation it reads normalized input, so it has a bias and no normalizer, as in TF-Slim's ResNet v2.
        var args = scopes.Resolve(Op.Conv2d, preactivation
            ? new LayerArgs(Activation: Act.None, Normalizer: Norm.None, UseBias: true)
            : new LayerArgs(Activation: Act.None));
        var projection = new LayerSpec(attribute.Source, Op.Conv2d, Group: null, "shortcut")
        {
            Window = new WindowSpec(1, 1, Stride: 1, Padding: Pad.Valid, Strided: true),
            Weights = WeightedLayer.Weights(args, scopes),
        };
        return new ResidualSpec(attribute.Source, shortcut, activation, preactivation, projection);
    }
}
