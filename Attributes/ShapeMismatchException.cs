using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SlimGen;

/// <summary>
/// Thrown by a generated model's <c>forward</c>, or by an exported model in SlimGen.Onnx, when its input does not
/// have the shape the model was declared for; raised before any native call, so the message names the model and both
/// shapes. It lives here, beside the attributes, because both the runtime and the ONNX package throw it.
/// </summary>
public sealed class ShapeMismatchException : Exception
{
    /// <summary>Creates the exception and its message.</summary>
    /// <param name="modelName">The model that rejected the input.</param>
    /// <param name="expected">The accepted shape; <c>-1</c> marks a dimension of any size (the batch).</param>
    /// <param name="actual">The shape that was passed.</param>
    public ShapeMismatchException(string modelName, long[] expected, long[] actual)
        : base(Describe(modelName, expected, actual))
    {
        ModelName = modelName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Creates the exception for a model that accepts any size from a minimum in some dimensions.</summary>
    /// <param name="modelName">The model that rejected the input.</param>
    /// <param name="minimum">The smallest accepted shape; <c>-1</c> for the batch. Dimensions of any size from this one on are listed in <paramref name="variable"/>.</param>
    /// <param name="variable">The positions (in <paramref name="minimum"/>) of the dimensions that accept any size from their minimum.</param>
    /// <param name="actual">The shape that was passed.</param>
    public ShapeMismatchException(string modelName, long[] minimum, int[] variable, long[] actual)
        : base($"{modelName} expects input of shape {FormatShape(minimum, variable)} but got {FormatShape(actual)}.")
    {
        ModelName = modelName;
        Expected = minimum;
        Actual = actual;
    }

    /// <summary>The model that rejected the input.</summary>
    public string ModelName { get; }

    /// <summary>The accepted shape; <c>-1</c> marks a dimension of any size (the batch).</summary>
    public long[] Expected { get; }

    /// <summary>The shape that was passed.</summary>
    public long[] Actual { get; }

    /// <summary>Writes a shape as <c>[N, 3, 224, 224]</c>: <c>-1</c> (any size) is written N.</summary>
    public static string FormatShape(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d == -1 ? "N" : d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string FormatShape(long[] minimum, int[] variable) =>
        "[" + string.Join(", ", minimum.Select((d, i) => d == -1 ? "N" : (Array.IndexOf(variable, i) >= 0 ? ">= " : "") + d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Describe(string modelName, long[] expected, long[] actual)
    {
        var message = $"{modelName} expects input of shape {FormatShape(expected)} but got {FormatShape(actual)}.";
        var batchMissing = expected.Length == actual.Length + 1 && expected[0] == -1 && expected.Skip(1).SequenceEqual(actual);
        return batchMissing
            ? message + " The batch dimension seems to be missing: for a single example pass input.unsqueeze(0)."
            : message;
    }
}
