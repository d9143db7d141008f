using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using SlimGen.Generator.Diagnostics;
using SlimGen.Generator.Model;
using SlimGen.Generator.Shapes;

namespace SlimGen.Generator.Layers;

/// <summary>One layer's step of the shape pass, as its kind's shape rule sees it: the input, and where problems go.</summary>
internal abstract class ShapeStep
{
    protected ShapeStep(List<Dim> input, string path)
    {
        Input = input;
        Path = path;
    }

    public List<Dim> Input { get; }

    /// <summary>The layer's full path, as messages name it: <c>layer1/layer1_1/conv1</c>.</summary>
    public string Path { get; }

    /// <summary>Reports an error on the layer (or on the block use it is part of); the rule then returns null.</summary>
    public abstract LayerShape? Fail(DiagnosticDescriptor descriptor, params object[] args);

    /// <summary>Reports a warning on the layer.</summary>
    public abstract void Warn(DiagnosticDescriptor descriptor, params object[] args);

    /// <summary>Notes a spatial output, whose forms bound the smallest input of a model of variable size.</summary>
    public abstract void NoteSpatialOutput(Dim height, Dim width);

    /// <summary>SLIM012-style overflow of a count the layer would need.</summary>
    public LayerShape? Overflow(string what) => Fail(DiagnosticDescriptors.SizeOverflow, Path, what, ShapeInference.Format(Input));

    /// <summary>SLIM rank mismatch: the layer needs an input of <paramref name="expected"/> rank, for <paramref name="reason"/>.</summary>
    public LayerShape? WrongRank(string expected, string reason) =>
        Fail(DiagnosticDescriptors.RankMismatch, Path, expected, ShapeInference.Format(Input), reason);

    /// <summary>The layer's shape from its input to <paramref name="output"/>.</summary>
    public LayerShape Output(IEnumerable<Dim> output, long parameters = 0, long macs = 0) =>
        new(Input.ToEquatableArray(), output.ToEquatableArray(), parameters, macs);
}
