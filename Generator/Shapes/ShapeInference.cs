using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Layers;
using SlimGen.Generator.Model;

namespace SlimGen.Generator.Shapes;

/// <summary>
/// Shape inference over a <see cref="ModelSpec"/>, with the formulas the runtime executes
/// (<see cref="ShapeMath"/>). Blocks are inferred for each use, with that use's arguments; a problem inside one is
/// reported on the use, naming the layer. Pure: no symbols or syntax, never throws, all arithmetic overflow-checked.
/// </summary>
internal static class ShapeInference
{
    /// <summary>Nesting beyond this is certainly a mistake (a block cannot contain itself, which is reported first).</summary>
    private const int MaxBlockDepth = 32;

    public static ShapeReport Infer(ModelSpec spec, IReadOnlyDictionary<string, BlockOutcome> blocks)
    {
        Context? context = null;
        var headsMinimum = (Height: 1L, Width: 1L);
        var diagnostics = new List<ModelDiagnostic>();
        var layers = new List<LayerShape>();
        long totalParameters = 0, totalMacs = 0;

        var input = spec.InputShape;
        if (input.Count == 0 || input.Any(d => d < 1))
        {
            // On the first dimension below 1, or on [SlimModel] when no shape is given.
            var model = new SourceRef(SourceKind.ModelAttribute);
            var source = input.Count == 0 ? model : model.AtPosition(Enumerable.Range(0, input.Count).First(i => input[i] < 1));
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.InvalidInputShape, source,
                spec.ClassName, Format(input.Select(d => new Dim(d))),
                input.Count == 0 ? "give the per-example shape, for example [SlimModel(3, 224, 224)] for RGB images" : "every dimension must be at least 1"));
            return Report();
        }

        var shape = input.Select(d => new Dim(d)).ToList();
        if (spec.VariableSize && input.Count != 3)
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.RankMismatch, new SourceRef(SourceKind.ModelAttribute, 0, nameof(SlimModelAttribute.VariableSize)),
                spec.ClassName, "[C, H, W]", Format(shape), "VariableSize = true lets images of any height and width in; remove it for other inputs"));
            return Report();
        }
        if (spec.VariableSize)
        {
            shape[1] = shape[1] with { Form = new SpatialForm("H", 0, 1) };
            shape[2] = shape[2] with { Form = new SpatialForm("W", 0, 1) };
        }
        // The input's size; each layer's output size is checked below.
        if (!TryCount(shape, out _))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.SizeOverflow, new SourceRef(SourceKind.ModelAttribute),
                spec.ClassName, "per-example input size", Format(shape)));
            return Report();
        }
        context = new Context(blocks, diagnostics);
        string inputPath = "";
        foreach (var layer in spec.Layers)
        {
            // An auxiliary head that a switch builds is left out of the minimum at the constructor's defaults.
            var mainMinimum = context.Minimum;
            var result = context.Apply(layer, shape, prefix: "", use: null, inputPath);
            if (result is null) return Report();
            if (layer.IsAuxHead && layer.Parameter is not null)
            {
                headsMinimum = (Math.Max(headsMinimum.Height, context.Minimum.Height), Math.Max(headsMinimum.Width, context.Minimum.Width));
                context.Minimum = mainMinimum;
            }
            if (layer.IsAuxHead)
            {
                // A head off the main line: checked, but the network goes on from its input, and the summary (at the
                // constructor's defaults, which leave it out) does not count it.
                layers.Add(result);
                continue;
            }
            if (!Checked.Add(totalParameters, result.Parameters, out totalParameters) || !Checked.Add(totalMacs, result.Macs, out totalMacs))
            {
                diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.SizeOverflow, layer.Source, layer.Path, "model's total parameter or MAC count", Format(shape)));
                return Report();
            }
            layers.Add(result);
            shape = result.Output.ToList();
            inputPath = Context.OutputPath(result, inputPath);
        }

        if (spec.OutputShape is { } declared && !declared.SequenceEqual(shape.Select(d => d.Value).Select(v => (int)System.Math.Min(v, int.MaxValue))))
        {
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.OutputShapeMismatch, new SourceRef(SourceKind.ModelAttribute, 0, nameof(SlimModelAttribute.OutputShape)),
                spec.ClassName, Format(declared.Select(d => new Dim(d))), Format(shape)));
        }
        return Report();

        ShapeReport Report()
        {
            bool variable = spec.VariableSize && input.Count == 3 && !ModelCheck.HasErrors(diagnostics);
            var minimum = context?.Minimum ?? (1L, 1L);
            return new ShapeReport(layers.ToEquatableArray(), totalParameters, totalMacs, diagnostics.ToEquatableArray())
            {
                MinimumInput = variable ? new[] { input[0], minimum.Height, minimum.Width }.ToEquatableArray() : null,
                MinimumInputWithHeads = variable
                    ? new[] { input[0], Math.Max(minimum.Height, headsMinimum.Height), Math.Max(minimum.Width, headsMinimum.Width) }.ToEquatableArray()
                    : null,
            };
        }
    }

    /// <summary>The shape as the generated comments and messages show it: <c>[N, 64, 224, 224]</c>, <c>[N, 64, ceil(H/2), ceil(W/2)]</c>.</summary>
    public static string FormatBatched(IEnumerable<Dim> shape) => "[N" + string.Concat(shape.Select(d => ", " + d.Display)) + "]";

    /// <summary>Whether two sizes agree at every input size: their values and, in a model of variable size, their forms.</summary>
    private static bool Same(Dim a, Dim b) => a.Value == b.Value && a.Form == b.Form;

    /// <summary>A shape in a message: its values, constructor parameters at their defaults (<c>[64, 7, 7]</c>).</summary>
    public static string Format(IEnumerable<Dim> shape) => "[" + string.Join(", ", shape.Select(d => Numbers.Text(d.Value))) + "]";

    /// <summary>A shape in a merge's message: its values, and its forms where they decide (<c>[64, ceil(H/2), ...]</c>).</summary>
    private static string DescribeShape(IEnumerable<Dim> shape) => "[" + string.Join(", ", shape.Select(d => d.Form?.ToString() ?? Numbers.Text(d.Value))) + "]";

    /// <summary>The number of elements of a shape, false when a 64-bit count cannot hold it.</summary>
    private static bool TryCount(IEnumerable<Dim> shape, out long count)
    {
        count = 1;
        foreach (var dim in shape)
        {
            if (!Checked.Multiply(count, dim.Value, out count)) return false;
        }
        return true;
    }

    /// <summary>Inference state: the blocks a model can use, the problems found, the blocks being inferred (for recursion).</summary>
    private sealed class Context
    {
        private readonly IReadOnlyDictionary<string, BlockOutcome> _blocks;
        private readonly List<ModelDiagnostic> _diagnostics;
        private readonly List<string> _open = new();

        /// <summary>
        /// In a model of variable size, the smallest input height and width at which every window op so far has an
        /// output: a size <c>floor((X + a) / d)</c> is at least 1 exactly when X is at least <c>d - a</c>, and each size
        /// grows with the input, so the largest of these bounds is the model's minimum.
        /// </summary>
        public (long Height, long Width) Minimum { get; set; } = (1, 1);

        public Context(IReadOnlyDictionary<string, BlockOutcome> blocks, List<ModelDiagnostic> diagnostics)
        {
            _blocks = blocks;
            _diagnostics = diagnostics;
        }

        /// <summary>
        /// The layer's shape. <paramref name="prefix"/> is the path of the enclosing block use (<c>layer1/layer1_1/</c>)
        /// and <paramref name="use"/> the model attribute that uses it, where problems inside blocks are reported.
        /// </summary>
        /// <param name="inputPath">The path of the row whose output the layer reads ("" for the model's input).</param>
        public LayerShape? Apply(LayerSpec layer, List<Dim> input, string prefix, SourceRef? use, string inputPath)
        {
            var source = use ?? layer.Source;
            var path = prefix + layer.Path;
            var shape = layer.Op switch
            {
                Op.Block => ApplyBlock(layer.Block!, input, path + "/", source, inputPath),
                Op.Concat => ApplyConcat(layer, input, prefix, source, inputPath),
                _ => ApplyLayer(layer, input, path, source),
            };
            if (shape is null) return null;
            // A block's own layers are checked inside it; a depthwise multiplier or a concat can pass the limit.
            if (layer.Op != Op.Block && shape.Output.Count == 3 && shape.Output[0].Value > FixedChannels.Limit)
            {
                return Fail(DiagnosticDescriptors.TooManyChannels, source, path, Numbers.Text(shape.Output[0].Value));
            }
            // Flatten returns a view of its input: it allocates nothing; a block's rows count its own.
            if (!TryCount(shape.Output, out var outputElements) || !Checked.Multiply(outputElements, sizeof(float), out var outputBytes))
            {
                return Fail(DiagnosticDescriptors.SizeOverflow, source, path, "output size in bytes", Format(input));
            }
            if (layer.Op is Op.Block or Op.Concat)
            {
                return layer.Op == Op.Block ? shape with { OutputBytes = shape.Rows.Sum(r => r.OutputBytes) } : shape;
            }
            // Every layer's row comes from here, top-level or not, so that none lacks a field (its symbolic shape).
            var single = LayerKinds.Of(layer).AllocatesOutput ? shape with { OutputBytes = outputBytes } : shape;
            return single with { Rows = new[] { Row(prefix, layer, single, inputPath) }.ToEquatableArray() };
        }

        private LayerShape? Fail(DiagnosticDescriptor descriptor, SourceRef source, params object[] args)
        {
            _diagnostics.Add(ModelDiagnostic.Create(descriptor, source, args));
            return null;
        }

        private LayerShape? ApplyBlock(BlockUseSpec use, List<Dim> input, string prefix, SourceRef source, string inputPath)
        {
            if (!_blocks.TryGetValue(use.TypeName, out var outcome) || outcome.Spec is not { } block)
            {
                return Fail(DiagnosticDescriptors.NotABlock, source, use.ClassName, "it is not a [SlimBlock] class of this compilation");
            }
            if (outcome.Diagnostics.Any(ModelCheck.IsError))
            {
                return Fail(DiagnosticDescriptors.NotABlock, source, use.ClassName, "it has SLIM errors of its own; fix them first");
            }
            if (use.Arguments.Count != block.Parameters.Count)
            {
                var names = block.Parameters.Count == 0 ? "none" : string.Join(", ", block.Parameters);
                return Fail(DiagnosticDescriptors.BlockArgumentCount, source, block.ClassName,
                    block.Parameters.Count == 1 ? "1 argument" : Numbers.Text(block.Parameters.Count) + " arguments", names, use.Arguments.Count);
            }
            if (_open.Contains(use.TypeName) || _open.Count >= MaxBlockDepth)
            {
                return Fail(DiagnosticDescriptors.RecursiveBlock, source, block.ClassName, string.Join(" -> ", _open.Select(Short).Append(block.ClassName)));
            }
            if (use.Stride != 1 && !BlockInstance.TakesStride(block))
            {
                return Fail(DiagnosticDescriptors.UnusedStride, source, block.ClassName, use.Stride);
            }
            if (input.Count != 3)
            {
                return Fail(DiagnosticDescriptors.RankMismatch, source, prefix.TrimEnd('/'), "[C, H, W]", Format(input), "blocks work on images");
            }

            _open.Add(use.TypeName);
            try
            {
                var values = BlockInstance.Values(block, use, input[0].Value);
                var rows = new List<SummaryRow>();
                var shape = input;
                var bodyInput = input;
                string current = inputPath, preactivatedPath = inputPath;
                long parameters = 0, macs = 0;
                for (int i = 0; i < block.Body.Count; i++)
                {
                    var layer = BlockInstance.Resolve(block.Body[i], use.Stride, values, out var failure);
                    if (layer is null)
                    {
                        var expression = failure!.Value;
                        return Fail(DiagnosticDescriptors.BlockValueInvalid, source, prefix + FailedPath(block.Body[i], expression.Expression),
                            LayerKinds.Of(block.Body[i].Op)?.SizeName ?? "filters", expression.Expression.Evaluate(values, out _)?.ToString() ?? "no value",
                            expression.Expression.Text, Describe(values), expression.Problem.Length == 0 ? "" : " (" + expression.Problem + ")");
                    }
                    var result = Apply(layer, shape, prefix, source, current);
                    if (result is null) return null;
                    current = AddRows(rows, result, current);
                    parameters += result.Parameters;
                    macs += result.Macs;
                    shape = result.Output.ToList();
                    // The projection of a pre-activated block reads the pre-activation.
                    if (i == 0 && block.Residual is { Preactivation: true })
                    {
                        bodyInput = shape;
                        preactivatedPath = current;
                    }
                }

                if (block.Residual is { } residual)
                {
                    var shortcut = ApplyShortcut(block, residual, use, input, bodyInput, shape, prefix, source, inputPath, preactivatedPath, out var shortcutShape);
                    if (shortcut is false) return null;
                    var identity = inputPath;
                    if (shortcutShape is not null)
                    {
                        rows.AddRange(shortcutShape.Rows);
                        identity = shortcutShape.Rows[0].Path;
                        parameters += shortcutShape.Parameters;
                        macs += shortcutShape.Macs;
                    }
                    if (shortcut is true)
                    {
                        rows.Add(new SummaryRow(prefix + "add", Op.Add, Values(shape), 0, 0, Bytes(shape))
                        {
                            Symbolic = Symbolic(shape),
                            Inputs = new[] { current, identity }.ToEquatableArray(),
                            Activation = residual.Activation,
                        });
                    }
                }
                return new LayerShape(input.ToEquatableArray(), shape.ToEquatableArray(), parameters, macs) { Rows = rows.ToEquatableArray() };
            }
            finally
            {
                _open.RemoveAt(_open.Count - 1);
            }

            static string Short(string typeName) => typeName.Substring(typeName.LastIndexOf('.') + 1);
        }

        /// <summary>The path of the layer, in a branch or not, whose size is <paramref name="expression"/>.</summary>
        private static string FailedPath(LayerSpec layer, Expression expression) =>
            layer.Branches?.SelectMany(b => b.Layers.Where(l => ReferenceEquals(l.SizeExpression, expression)).Select(l => b.Name + "/" + l.Path)).FirstOrDefault()
            ?? layer.Path;

        /// <summary>
        /// The shortcut of a residual block for this use: true when the add happens, false on an error, null when
        /// there is no add (<see cref="Shortcut.WhereShapesMatch"/>). The projection, when one is built, comes back in
        /// <paramref name="projected"/>. The rule is the generated block's: a shortcut other than the identity is
        /// used when the stride is not 1 or the channels change, and must then produce the body's shape.
        /// </summary>
        /// <summary>
        /// (The shortcut's layer, a projection or a subsampling pool, comes back as a one-row shape in
        /// <paramref name="projected"/>.)
        /// </summary>
        private bool? ApplyShortcut(BlockSpec block, ResidualSpec residual, BlockUseSpec use, List<Dim> input, List<Dim> preactivated,
            List<Dim> output, string prefix, SourceRef source, string inputPath, string preactivatedPath, out LayerShape? projected)
        {
            projected = null;
            var path = prefix + "add";
            bool channelsChange = input[0].Value != output[0].Value;
            bool changes = use.Stride != 1 || channelsChange;
            var shortcut = input;
            switch (residual.Shortcut)
            {
                case Shortcut.WhereShapesMatch when changes:
                    return null;
                case Shortcut.Projection when changes:
                case Shortcut.Subsample when channelsChange:
                    // The projection gives the body's channels, with the block's stride.
                    var projection = residual.Projection with { Size = output[0].Value, Window = residual.Projection.Window!.WithBlockStride(use.Stride) };
                    projected = Apply(projection, preactivated, prefix, source, preactivatedPath);
                    if (projected is null) return false;
                    shortcut = projected.Output.ToList();
                    break;
                case Shortcut.Subsample when changes:
                    var subsample = new LayerSpec(residual.Source, Op.MaxPool2d, Group: null, "subsample") { Window = new WindowSpec(1, 1, use.Stride, Pad.Valid) };
                    projected = Apply(subsample, input, prefix, source, inputPath);
                    if (projected is null) return false;
                    shortcut = projected.Output.ToList();
                    break;
            }
            if (shortcut.Count != output.Count || shortcut.Zip(output, Same).Any(same => !same))
            {
                _diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.ResidualShapeMismatch, source, path, DescribeShape(shortcut), DescribeShape(output)));
                return false;
            }
            return true;
        }

        private LayerShape? ApplyConcat(LayerSpec concat, List<Dim> input, string prefix, SourceRef source, string inputPath)
        {
            var outputs = new List<string>();
            long channels = 0, parameters = 0, macs = 0;
            List<Dim>? first = null;
            string? firstName = null;
            var rows = new List<SummaryRow>();
            foreach (var branch in concat.Branches!.Value)
            {
                var shape = input;
                var current = inputPath;
                foreach (var layer in branch.Layers)
                {
                    var result = Apply(layer, shape, prefix + branch.Name + "/", source, current);
                    if (result is null) return null;
                    current = AddRows(rows, result, current);
                    parameters += result.Parameters;
                    macs += result.Macs;
                    shape = result.Output.ToList();
                }
                outputs.Add(current);
                if (shape.Count != 3)
                {
                    return Fail(DiagnosticDescriptors.RankMismatch, source, prefix + branch.Name, "[C, H, W]", Format(shape), "branches are concatenated along the channels of images");
                }
                if (first is null)
                {
                    first = shape;
                    firstName = branch.Name;
                }
                else if (!Same(shape[1], first[1]) || !Same(shape[2], first[2]))
                {
                    return Fail(DiagnosticDescriptors.ConcatSpatialMismatch, source, prefix + concat.Name,
                        prefix + firstName, DescribeShape(first), prefix + branch.Name, DescribeShape(shape));
                }
                channels += shape[0].Value;
            }
            var output = new List<Dim> { new(channels), first![1], first[2] };
            rows.Add(new SummaryRow(prefix + concat.Name, Op.Concat, Values(output), 0, 0, Bytes(output)) { Inputs = outputs.ToEquatableArray(), Symbolic = Symbolic(output) });
            return new LayerShape(input.ToEquatableArray(), output.ToEquatableArray(), parameters, macs) { Rows = rows.ToEquatableArray() };
        }

        /// <summary>
        /// Adds a layer's summary rows (its own, or those of a block or branch group) and returns the path of its output:
        /// that of its last row, or <paramref name="inputPath"/> for a block without layers.
        /// </summary>
        private static string AddRows(List<SummaryRow> rows, LayerShape shape, string inputPath)
        {
            rows.AddRange(shape.Rows);
            return OutputPath(shape, inputPath);
        }

        public static string OutputPath(LayerShape shape, string inputPath) => shape.Rows.Count > 0 ? shape.Rows[shape.Rows.Count - 1].Path : inputPath;

        private static SummaryRow Row(string prefix, LayerSpec layer, LayerShape shape, string inputPath) =>
            new(prefix + layer.Path, layer.Op, Values(shape.Output), shape.Parameters, shape.Macs, shape.OutputBytes)
            {
                Inputs = new[] { inputPath }.ToEquatableArray(),
                Symbolic = Symbolic(shape.Output),
            };

        /// <summary>The shape with its forms, in a model of variable size; null elsewhere.</summary>
        public static string? Symbolic(IEnumerable<Dim> shape) => shape.Any(d => d.Form is not null) ? FormatBatched(shape) : null;

        private static EquatableArray<long> Values(IEnumerable<Dim> shape) => shape.Select(d => d.Value).ToEquatableArray();

        private static long Bytes(IEnumerable<Dim> shape) => TryCount(shape, out var count) && Checked.Multiply(count, sizeof(float), out var bytes) ? bytes : 0;

        private static string Describe(IReadOnlyDictionary<string, long> values) =>
            string.Join(", ", values.Where(v => v.Key != Expression.InputChannels).Select(v => v.Key + " = " + Numbers.Text(v.Value)).Append("in = " + Numbers.Text(values[Expression.InputChannels])));

        private LayerShape? ApplyLayer(LayerSpec layer, List<Dim> input, string path, SourceRef source) =>
            LayerKinds.Of(layer).Shape(layer, new Step(this, input, path, source));

        /// <summary>A layer's step, reporting on <see cref="Source"/> (the layer, or the block use it is part of).</summary>
        private sealed class Step : ShapeStep
        {
            private readonly Context _context;
            private readonly SourceRef _source;

            public Step(Context context, List<Dim> input, string path, SourceRef source) : base(input, path)
            {
                _context = context;
                _source = source;
            }

            public override LayerShape? Fail(DiagnosticDescriptor descriptor, params object[] args) => _context.Fail(descriptor, _source, args);

            public override void Warn(DiagnosticDescriptor descriptor, params object[] args) =>
                _context._diagnostics.Add(ModelDiagnostic.Create(descriptor, _source, args));

            public override void NoteSpatialOutput(Dim height, Dim width) =>
                _context.Minimum = (Math.Max(_context.Minimum.Height, height.Form?.SmallestInput ?? 1), Math.Max(_context.Minimum.Width, width.Form?.SmallestInput ?? 1));
        }
    }
}
