using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen;

/// <summary>The input check at the start of a generated model's <c>forward</c>.</summary>
public static class ShapeGuard
{
    /// <summary>
    /// Checks that <paramref name="input"/> is a batch of examples of shape <paramref name="perExampleShape"/>, and of
    /// the element type and on the device of <paramref name="parameter"/>, before any native call would fail on it.
    /// </summary>
    /// <param name="input">The model's input, <c>[N, ...perExampleShape]</c> for any batch size N.</param>
    /// <param name="perExampleShape">The declared shape of one example, e.g. <c>[3, 224, 224]</c>.</param>
    /// <param name="modelName">The model's name, for the message.</param>
    /// <param name="parameter">One of the model's parameters, or null for a model without any.</param>
    /// <exception cref="ShapeMismatchException">The shape differs; the exception carries both shapes.</exception>
    /// <exception cref="ArgumentException">The element type or the device differs; the message says how to convert.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
    public static void CheckInput(Tensor input, long[] perExampleShape, string modelName, Tensor? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(perExampleShape);

        var actual = input.shape; // metadata only: no kernel runs
        if (actual.Length != perExampleShape.Length + 1 || !actual.AsSpan(1).SequenceEqual(perExampleShape))
            throw new ShapeMismatchException(modelName, [-1, .. perExampleShape], actual);
        CheckTypeAndDevice(input, modelName, parameter);
    }

    /// <summary>
    /// Checks that <paramref name="input"/> is a batch of <c>[C, H, W]</c> examples with the channels of
    /// <paramref name="minimumShape"/> and a height and width at least its own, for a model of variable size; then the
    /// element type and device as <see cref="CheckInput"/> does.
    /// </summary>
    /// <param name="input">The model's input, <c>[N, C, H, W]</c>.</param>
    /// <param name="minimumShape">The smallest example the model accepts, <c>[C, H, W]</c>.</param>
    /// <param name="modelName">The model's name, for the message.</param>
    /// <param name="parameter">One of the model's parameters, or null for a model without any.</param>
    /// <exception cref="ShapeMismatchException">The rank or channels differ, or the input is too small.</exception>
    /// <exception cref="ArgumentException">The element type or the device differs; the message says how to convert.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
    public static void CheckVariableSizeInput(Tensor input, long[] minimumShape, string modelName, Tensor? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(minimumShape);
        var actual = input.shape;
        if (actual.Length != 4 || actual[1] != minimumShape[0] || actual[2] < minimumShape[1] || actual[3] < minimumShape[2])
            throw new ShapeMismatchException(modelName, [-1, .. minimumShape], [2, 3], actual);
        CheckTypeAndDevice(input, modelName, parameter);
    }

    private static void CheckTypeAndDevice(Tensor input, string modelName, Tensor? parameter)
    {
        if (parameter is null)
            return;

        var (inputType, modelType) = (input.dtype, parameter.dtype);
        var (inputDevice, modelDevice) = ((input.device_type, input.device_index), (parameter.device_type, parameter.device_index));
        if (inputType == modelType && inputDevice == modelDevice)
            return;

        string holds = $"{modelName} holds {Name(modelType)} parameters on {Name(modelDevice)} but got {Name(inputType)} input on {Name(inputDevice)}.";
        string fix = inputType != modelType
            ? $" Convert the input with input.to(torch.{Name(modelType)})" +
              (is_floating_point(input) ? "" : " (scaled as the model expects, e.g. / 255 for bytes)") +
              (is_floating_point(input) ? $", or create the model with dtype: torch.{Name(inputType)}." : ".")
            : $" Move the input with input.to(\"{Name(modelDevice)}\"), or the model with model.to(\"{Name(inputDevice)}\").";
        throw new ArgumentException(holds + fix, nameof(input));
    }

    // As TorchSharp spells the types: torch.float32, torch.int64, torch.uint8.
    private static string Name(ScalarType type) => type == ScalarType.Byte ? "uint8" : type.ToString().ToLowerInvariant();

    private static string Name((DeviceType Type, int Index) device) =>
        device.Type == DeviceType.CPU || device.Index < 0
            ? device.Type.ToString().ToLowerInvariant()
            : $"{device.Type.ToString().ToLowerInvariant()}:{device.Index}";

    /// <summary>Writes a shape as <c>[N, 3, 224, 224]</c>: <c>-1</c> (any size) is written N.</summary>
    internal static string Format(IEnumerable<long> shape) => ShapeMismatchException.FormatShape(shape);
}
