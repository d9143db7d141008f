using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>SLIM003: inserts <c>[Flatten]</c> before a dense layer whose input is not flat.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFixProvider)), Shared]
public sealed class InsertFlattenCodeFixProvider()
    : InsertAttributeBeforeCodeFixProvider("Flatten", "Insert [Flatten] before this layer", DiagnosticDescriptors.DenseNeedsFlatten);
