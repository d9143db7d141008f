using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using SlimGen.Generator.Diagnostics;

namespace SlimGen.Generator.CodeFixes;

/// <summary>
/// SLIM028: a flatten of a size that depends on the input, in a model of variable size; a global average pool before it
/// makes the size the channels', whatever the input.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertGlobalPoolCodeFixProvider)), Shared]
public sealed class InsertGlobalPoolCodeFixProvider()
    : InsertAttributeBeforeCodeFixProvider("GlobalAvgPool2d", "Insert [GlobalAvgPool2d] before the flatten", DiagnosticDescriptors.FlattenOfVariableSize);
