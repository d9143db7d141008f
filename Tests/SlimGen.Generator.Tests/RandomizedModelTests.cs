using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace SlimGen.Generator.Tests;

/// <summary>
/// Thousands of attribute programs: plausible models (mostly valid), random ones (bad numbers, wrong ranks,
/// duplicate scopes, missing [Flatten], unsupported classes) and broken ones (truncated, a token deleted or
/// inserted, as the IDE sees half-typed code). For each: the generator and the analyzer never throw, the generator
/// writes a model's code exactly when the analyzer reports no error on it (and members that throw the errors
/// otherwise), what it writes adds no compiler error, and the models of clean
/// programs run: a forward and a backward pass, with the output shape the compile-time summary promised.
/// </summary>
/// <remarks>
/// CsCheck draws a new seed each run and prints it with the smallest failing program it finds; replay with
/// <c>CsCheck_Seed=&lt;seed&gt; dotnet test --filter RandomizedModelTests</c>. <c>CsCheck_Iter</c> and
/// <c>CsCheck_Time</c> run longer.
/// </remarks>
public class RandomizedModelTests
{
    /// <summary>About 20 s on two quiet cores: each program is parsed, generated, analyzed and compiled.</summary>
    private const int Iterations = 2000;

    [Fact]
    public void Generator_and_analyzer_never_throw_and_accepted_models_compile()
    {
        var counts = new Outcomes();
        // CsCheck reads CsCheck_Iter and CsCheck_Time from the environment when iter is -1.
        bool configured = Environment.GetEnvironmentVariable("CsCheck_Iter") is not null || Environment.GetEnvironmentVariable("CsCheck_Time") is not null;
        AnyProgram.Sample(source => Check(source, counts), iter: configured ? -1 : Iterations, print: source => "\n" + source + "\n");

        // The mix must keep exercising each path, or the test would pass without testing much.
        int tenth = (counts.Generated + counts.Rejected + counts.Unfinished) / 10;
        Assert.True(tenth < 10 || counts.Generated > tenth && counts.Rejected > tenth && counts.Unfinished > tenth && counts.Ran > tenth, counts.ToString());
    }

    private static void Check(string source, Outcomes counts)
    {
        var input = Base.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, ParseOptions, "Model.cs"));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(generatorDiagnostics); // CS8785 would be here

        var all = GeneratorHarness.Analyze(output, withCompilerDiagnostics: true);
        var slimErrors = all.Where(d => d.Id.StartsWith("SLIM", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        var compilerErrors = all.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("SLIM", StringComparison.Ordinal)).ToList();

        // Blocks have files of their own; a model's has its Summary.
        var model = result.GeneratedSources.Where(s => s.SourceText.ToString().Contains("ModelSummary Summary", StringComparison.Ordinal)).ToList();
        if (model.Count > 0)
        {
            // Errors in a reusable or assembly scope (or in a block) are reported where they are written, and the model
            // leaves the bad value out (or reports the block's use); an error on the model gives it members that throw.
            bool broken = slimErrors.Any(IsOnModel);
            Assert.Equal(broken, model.Single().SourceText.ToString().Contains("InvalidModelException"));
            if (compilerErrors.Count > 0)
            {
                // Errors where the user's own half-typed code already had one are not the generator's, even with another
                // id: a method without a return type is taken for a constructor, which the generated base class then breaks.
                var before = new HashSet<string>(input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(Place));
                Assert.Empty(compilerErrors.Where(d => !before.Contains(Place(d))).Select(d => d.ToString()));
            }
            else if (!broken)
            {
                counts.Add(ref counts.Ran, GeneratedModelRunner.RunSmallModels(output));
            }
            if (broken) counts.Add(ref counts.Rejected);
            else counts.Add(ref counts.Generated);
        }
        else if (compilerErrors.Count == 0 && DeclaresModel(input.SyntaxTrees.Single()))
        {
            // Clean C# with a class that could not take generated members (not partial, generic...): the analyzer says why.
            Assert.NotEmpty(slimErrors);
            counts.Add(ref counts.Rejected);
        }
        else
        {
            counts.Add(ref counts.Unfinished);
        }
    }

    /// <summary>On a declaration of the model class: the one with [SlimModel], or another partial one (SLIM009).</summary>
    private static bool IsOnModel(Diagnostic diagnostic)
    {
        var root = diagnostic.Location.SourceTree!.GetRoot();
        return root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault() is { } type
            && root.DescendantNodes().OfType<TypeDeclarationSyntax>().Any(model => IsModel(model) && model.Identifier.Text == type.Identifier.Text);
    }

    private static bool DeclaresModel(SyntaxTree tree) => tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().Any(IsModel);

    private static bool IsModel(TypeDeclarationSyntax type) =>
        type.AttributeLists.SelectMany(list => list.Attributes).Any(attribute => attribute.Name.ToString() == "SlimModel");

    private static string Place(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().ToString();

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>
    /// The references bound once: a compilation made from it by adding a tree reuses its referenced assemblies'
    /// symbols (TorchSharp's are many) instead of building them again.
    /// </summary>
    private static readonly Compilation Base = CreateBase();

    private static Compilation CreateBase()
    {
        var compilation = GeneratorHarness.Compile();
        compilation.GetTypeByMetadataName("TorchSharp.torch");
        return compilation;
    }

    private sealed class Outcomes
    {
        public int Generated, Rejected, Unfinished, Ran;

        public void Add(ref int count, int value = 1) => System.Threading.Interlocked.Add(ref count, value);

        public override string ToString() => $"generated {Generated} (models run {Ran}), rejected with a SLIM error {Rejected}, half-typed or without a model {Unfinished}";
    }

    // ---- The programs --------------------------------------------------------------------------------------------

    private static Gen<string> Optional(string key, Gen<string> value, int percent) =>
        Gen.Frequency((100 - percent, Gen.Const("")), (percent, value.Select(v => $", {key} = {v}")));

    private static Gen<string> Mostly(Gen<string> usual, params string[] unusual) =>
        Gen.Frequency((9, usual), (1, Gen.OneOf(unusual)));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static readonly Gen<string> Small = Mostly(Gen.Int[1, 6].Select(Text), "0", "-1", "64", "2147483647", "-2147483648");
    private static readonly Gen<string> Dimension = Mostly(Gen.Int[1, 40].Select(Text), "0", "-3", "224", "2147483647");
    private static readonly Gen<string> Activation = Mostly(Gen.OneOf("Act.Relu", "Act.None", "Act.Tanh", "Act.Softmax", "Act.Gelu"), "(Act)42");
    private static readonly Gen<string> Padding = Mostly(Gen.OneOf("Pad.Same", "Pad.Valid"), "(Pad)7");
    private static readonly Gen<string> Init = Mostly(Gen.OneOf("Init.Default", "Init.HeNormal", "Init.Normal", "Init.TruncatedNormal", "Init.Uniform", "Init.Zeros"), "(Init)99");
    private static readonly Gen<string> Norm = Mostly(Gen.OneOf("Norm.None", "Norm.BatchNorm"), "(Norm)5");
    private static readonly Gen<string> Positive = Mostly(Gen.OneOf("0.1", "0.0005", "0", "1e-3"), "-1.0", "double.NaN", "double.PositiveInfinity");
    private static readonly Gen<string> Rate = Mostly(Gen.OneOf("0.5", "0.25", "0.4"), "0", "1.0", "-0.5", "double.NaN", "1.5");
    private static readonly Gen<string> Scope = Gen.OneOf("\"a\"", "\"b\"", "\"a_1\"", "\"conv1\"", "\"conv1_2\"", "\"fc\"", "\"repeat\"", "\"repeat_1\"",
        "\"stack_1\"", "\"conv2d\"", "\"x\"", "\"class\"", "\"forward\"", "\"Net\"", "\"bad-name\"", "\"\"", "null");
    private static readonly Gen<string> Parameter = Gen.OneOf("\"n\"", "\"width\"", "\"rate\"", "\"a\"", "\"conv2d\"", "\"device\"", "\"class\"", "\"Net\"");
    private static readonly Gen<string> OpName = Mostly(Gen.OneOf("Conv2d", "MaxPool2d", "AvgPool2d", "FullyConnected", "Dropout", "Flatten", "BatchNorm"), "(Op)9");

    private static readonly Gen<string> WeightedKeys =
        Gen.Select(Optional("Activation", Activation, 20), Optional("WeightsInit", Init, 10), Optional("WeightsStddev", Positive, 10),
            Optional("BiasInit", Init, 5), Optional("WeightDecay", Positive, 15), Optional("UseBias", Gen.OneOf("true", "false"), 10),
            Optional("Normalizer", Norm, 10), (a, b, c, d, e, f, g) => a + b + c + d + e + f + g);

    private static readonly Gen<string> WindowKeys = Gen.Select(Optional("Stride", Small, 20), Optional("Padding", Padding, 20), (a, b) => a + b);

    private static readonly Gen<string> ArgScope = Gen.Select(OpName.Array[0, 3], WindowKeys, WeightedKeys,
        (ops, window, weighted) => $"ArgScope({string.Join(", ", ops)}{window}{weighted})".Replace("(, ", "("));

    private static readonly Gen<string> Layer = Gen.Frequency(
        (6, Gen.Select(Small, Small, WindowKeys, WeightedKeys, Optional("Scope", Scope, 30), Optional("Parameter", Parameter, 10),
            (filters, kernel, window, weighted, scope, parameter) => $"Conv2d({filters}, {kernel}{window}{weighted}{scope}{parameter})")),
        (4, Gen.Select(Gen.OneOf("MaxPool2d", "AvgPool2d"), Small, WindowKeys, Optional("Scope", Scope, 30),
            (pool, kernel, window, scope) => $"{pool}({kernel}{window}{scope})")),
        (5, Gen.Select(Small, WeightedKeys, Optional("Scope", Scope, 30), Optional("Parameter", Parameter, 10),
            (units, weighted, scope, parameter) => $"FullyConnected({units}{weighted}{scope}{parameter})")),
        (2, Gen.Select(Rate, Optional("Scope", Scope, 30), Optional("Parameter", Parameter, 15), (rate, scope, parameter) => $"Dropout({rate}{scope}{parameter})")),
        (3, Optional("Scope", Scope, 20).Select(scope => scope.Length == 0 ? "Flatten" : $"Flatten({scope.Substring(2)})")),
        (2, Gen.Select(Optional("Epsilon", Positive, 20), Optional("Momentum", Rate, 20), Optional("Activation", Activation, 20), Optional("Scope", Scope, 20),
            (a, b, c, d) => (a + b + c + d) is { Length: > 0 } keys ? $"BatchNorm({keys.Substring(2)})" : "BatchNorm")),
        (3, Gen.Select(Mostly(Gen.Int[1, 3].Select(Text), "0", "-1", "2000"), OpName, Small.Array[0, 3], WindowKeys, WeightedKeys, Optional("Scope", Scope, 50), Optional("Parameter", Parameter, 10),
            (count, op, values, window, weighted, scope, parameter) => $"Repeat({count}, {op}{string.Concat(values.Select(v => ", " + v))}{window}{weighted}{scope}{parameter})")),
        (2, Gen.Select(OpName, Small.Array[0, 4], Optional("Kernel", Small, 60), WindowKeys, Optional("Scope", Scope, 50),
            (op, values, kernel, window, scope) => $"Stack({op}{string.Concat(values.Select(v => ", " + v))}{kernel}{window}{scope})")),
        (2, ArgScope));

    /// <summary>The model class, its attributes in place of <c>$</c>: mostly a plain partial class.</summary>
    private static readonly Gen<string> Declaration = Gen.Frequency(
        (20, Gen.Const("$\npublic partial class Net { }")),
        (2, Gen.Const("$\ninternal sealed partial class Net : System.IDisposable { public void Dispose() { } }")),
        (2, Gen.Const("namespace Zoo\n{\npublic partial class Outer\n{\n$\npublic partial class Net { }\n}\n}")),
        (1, Gen.OneOf("$\npublic class Net { }", "$\npublic partial class Net<T> { }", "$\npublic static partial class Net { }",
            "$\npublic abstract partial class Net { }", "$\npublic partial record Net;", "$\npublic partial class Net : System.Exception { }",
            "$\npublic partial class Net(int width) { public int Width => width; }",
            "public class Outer { $ public partial class Net { } }", "$\npublic partial class Net { }\n[FullyConnected(2)] public partial class Net { }")));

    /// <summary>Any attributes in any order, with reusable and assembly scopes now and then: mostly invalid models, often clean C#.</summary>
    private static readonly Gen<string> RandomModel =
        Gen.Select(Dimension.Array[0, 4], Gen.Int[0, 9], Layer.Array[0, 8], Gen.Int[0, 3], Declaration, Gen.Bool, Gen.Frequency((4, Gen.Const("")), (1, ArgScope)), Gen.Frequency((4, Gen.Const("")), (1, ArgScope)),
            (input, outputChance, layers, split, declaration, together, assemblyScope, reusableScope) =>
            {
                var output = outputChance == 0 ? ", OutputShape = new[] { 4 }" : "";
                var attributes = layers.Select(l => "[" + l + "]").ToList();
                attributes.Insert(Math.Min(split, attributes.Count), $"[SlimModel({string.Join(", ", input)}{output})]".Replace("(, ", "("));
                var prefix = assemblyScope.Length == 0 ? "" : $"[assembly: {assemblyScope}]\n";
                if (reusableScope.Length > 0)
                {
                    prefix += $"[{reusableScope}]\npublic sealed class Scopes {{ }}\n";
                    attributes.Insert(0, "[UseArgScope(typeof(Scopes))]");
                }
                return Usings + prefix + declaration.Replace("$", string.Join(together ? "" : "\n", attributes)) + "\n";
            });

    /// <summary>Convolution blocks, a flatten and a classifier, as a user writes them: mostly valid.</summary>
    private static readonly Gen<string> PlausibleModel =
        Gen.Select(Gen.Int[1, 4], Gen.OneOf(8, 16, 32), Gen.Int[0, 3], Gen.Int[1, 4], Gen.Bool, Gen.Bool, Gen.OneOf("", "namespace Zoo.Models;\n"),
            (channels, size, blocks, classes, named, scopeClass, ns) =>
            {
                var lines = new List<string> { $"[SlimModel({channels}, {size}, {size})]" };
                if (scopeClass) lines.Add("[UseArgScope(typeof(Scopes))]");
                lines.Add("[ArgScope(Conv2d, FullyConnected, WeightDecay = 0.0005)]");
                for (int i = 1; i <= blocks; i++)
                {
                    lines.Add(named ? $"[Repeat(2, Conv2d, {8 * i}, 3, Scope = \"conv{i}\")]" : $"[Conv2d({8 * i}, 3)]");
                    lines.Add(named ? $"[MaxPool2d(2, Scope = \"pool{i}\")]" : "[MaxPool2d(2)]");
                }
                lines.Add("[Flatten]");
                lines.Add("[FullyConnected(32, Parameter = \"width\")]");
                lines.Add("[Dropout(0.5)]");
                lines.Add($"[FullyConnected({classes}, Activation = Act.None, Scope = \"logits\", Parameter = \"numClasses\")]");
                var scopes = scopeClass ? "[ArgScope(Conv2d, Activation = Act.Relu6, Padding = Pad.Same)]\npublic sealed class Scopes { }\n" : "";
                return Usings + ns + scopes + string.Join("\n", lines) + "\npublic sealed partial class Net { }\n";
            });

    private const string Usings = "using SlimGen;\nusing static SlimGen.Op;\n";

    private static readonly Gen<string> BlockWindowKeys = Gen.OneOf("", ", Strided = true", ", Stride = 2", ", Padding = Pad.Valid", ", Padding = Pad.Symmetric",
        ", Padding = Pad.Symmetric, PaddingSize = 2", ", Dilation = 2", ", Strided = true, Padding = Pad.Symmetric");

    /// <summary>A layer of a block: sizes as expressions over its parameters (some invalid), windows that take its stride.</summary>
    private static readonly Gen<string> BlockLayer = Gen.Frequency(
        (6, Gen.Select(Gen.OneOf("\"depth\"", "\"depth * 2\"", "\"in\"", "\"width + 1\"", "\"depth / 2\"", "\"in * 3 / 2\"", "\"depth +\"", "\"other\"", "8"),
            Gen.OneOf("1", "3", "1, 3", "3, 1", "5"), BlockWindowKeys, Optional("Activation", Activation, 20), Optional("Normalizer", Norm, 20),
            (filters, kernel, window, activation, norm) => $"Conv2d({filters}, {kernel}{window}{activation}{norm})")),
        (2, Gen.Select(Gen.OneOf("3", "3, 3", "5"), BlockWindowKeys, Optional("Multiplier", Small, 30),
            (kernel, window, multiplier) => $"DepthwiseConv2d({kernel}{window}{multiplier})")),
        (1, Gen.OneOf("MaxPool2d(3, Stride = 1, Padding = Pad.Same)", "AvgPool2d(3, Stride = 1, Padding = Pad.Symmetric)", "MaxPool2d(2, Strided = true)")),
        (1, Gen.OneOf("BatchNorm(Activation = Act.Relu)", "BatchNorm(Scale = false)", "GlobalAvgPool2d")));

    /// <summary>A block: a trunk, maybe a branch group (sometimes left open), maybe a residual of any kind.</summary>
    private static readonly Gen<string> Block =
        Gen.Select(Gen.OneOf("\"depth\"", "\"depth\", \"width\"", ""), BlockLayer.Array[0, 3], BlockLayer.Array[0, 2], BlockLayer.Array[0, 2], Gen.Int[0, 3],
            Gen.OneOf("", "[Residual]", "[Residual(Shortcut = Shortcut.Projection, Activation = Act.Relu)]", "[Residual(Shortcut = Shortcut.Subsample)]",
                "[Residual(Shortcut = Shortcut.WhereShapesMatch)]", "[Residual(Preactivation = true, Shortcut = Shortcut.Projection)]"),
            (parameters, trunk, left, right, branches, residual) =>
            {
                var lines = new List<string> { $"[SlimBlock({parameters})]", residual };
                lines.AddRange(trunk.Select(l => "[" + l + "]"));
                if (branches > 0)
                {
                    lines.Add("[Branch(\"left\")]");
                    lines.AddRange(left.Select(l => "[" + l + "]"));
                    lines.Add("[Branch(\"right\")]");
                    lines.AddRange(right.Select(l => "[" + l + "]"));
                    if (branches > 1) lines.Add("[Concat]");
                }
                return string.Join("\n", lines) + "\npublic partial class Unit { }\n";
            });

    /// <summary>A stem, the block used or repeated with arguments and a stride, a classifier.</summary>
    private static readonly Gen<string> BlockModel =
        Gen.Select(Block, Gen.OneOf(8, 9, 16), Gen.OneOf("", "4", "4, 3", "16, 2", "0", "3, 5, 7"), Gen.Int[1, 3], Gen.OneOf("", ", Stride = 2", ", Stride = 0"), Gen.Bool, Gen.Bool,
            (block, size, args, count, stride, repeat, variable) =>
            {
                var sizing = variable ? ", VariableSize = true" : "";
                var separator = args.Length == 0 ? "" : ", ";
                var use = repeat ? $"[Repeat({count}, typeof(Unit){separator}{args}{stride}, Scope = \"stage\")]" : $"[Block(typeof(Unit){separator}{args}{stride}, Scope = \"unit\")]";
                return Usings + block + $"[SlimModel(3, {size}, {size}{sizing})]\n[Conv2d(4, 3, Scope = \"stem\")]\n{use}\n[GlobalAvgPool2d]\n[Flatten]\n[FullyConnected(3, Activation = Act.None)]\npublic partial class Net {{ }}\n";
            });

    private static readonly string[] InsertedTokens = { "[", "]", "(", ")", ",", "=", "\"", "Conv2d", "Scope", "0", "partial", ";", "new[] {", "Pad.", "typeof(" };

    /// <summary>Half-typed code: cut at any character, or one token deleted, inserted or doubled.</summary>
    private static Gen<string> Broken(Gen<string> programs) =>
        Gen.Select(programs, Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.OneOf(InsertedTokens), (source, kind, where, inserted) =>
        {
            if (kind == 0) return source.Substring(0, where % (source.Length + 1));
            var tokens = SyntaxFactory.ParseTokens(source).ToList();
            var token = tokens[where % tokens.Count];
            return kind switch
            {
                1 => source.Remove(token.SpanStart, token.Span.Length),
                2 => source.Insert(token.SpanStart, inserted),
                _ => source.Insert(token.SpanStart, token.Text),
            };
        });

    // Random models are cheap (few pass), plausible ones cost a compilation of the generated code each.
    private static readonly Gen<string> AnyProgram = Gen.Frequency((3, PlausibleModel), (5, RandomModel), (3, BlockModel),
        (3, Broken(Gen.OneOf(PlausibleModel, RandomModel, BlockModel))));
}
