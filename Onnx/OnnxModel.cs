using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SlimGen.Onnx;

/// <summary>
/// A SlimGen model exported with <c>model.ExportOnnx(path)</c>, run by ONNX Runtime: no TorchSharp, no libtorch. The
/// input is checked against the model's compile-time shape before anything runs, with the runtime's
/// <see cref="ShapeMismatchException"/>. Thread-safe: ONNX Runtime sessions may run concurrently.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private const string InputName = "input";
    private readonly InferenceSession session;
    private readonly string outputName;

    private OnnxModel(InferenceSession session, string name, long[] inputShape, long[]? minimumInputShape, long[] outputShape)
    {
        this.session = session;
        Name = name;
        InputShape = inputShape;
        MinimumInputShape = minimumInputShape;
        OutputShape = outputShape;
        outputName = session.OutputMetadata.Keys.Single();
    }

    /// <summary>The model's name, as SlimGen wrote it (the class name).</summary>
    public string Name { get; }

    /// <summary>The shape of one example, without the batch dimension, e.g. <c>[1, 28, 28]</c>.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>
    /// For a model of variable size (<c>VariableSize = true</c>), the smallest example it takes, <c>[C, H, W]</c>: it
    /// runs any height and width from there, and <see cref="InputShape"/> is its declared example size. Null otherwise.
    /// </summary>
    public IReadOnlyList<long>? MinimumInputShape { get; }

    /// <summary>The shape of one example's output, without the batch dimension, e.g. <c>[10]</c> (at <see cref="InputShape"/>).</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>Values in one example's input.</summary>
    public int InputSize => checked((int)InputShape.Aggregate(1L, (product, size) => product * size));

    /// <summary>Values in one example's output.</summary>
    public int OutputSize => checked((int)OutputShape.Aggregate(1L, (product, size) => product * size));

    /// <summary>Loads an exported SlimGen model.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="options">ONNX Runtime's session options (threads, execution providers); its defaults when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model SlimGen exported.</exception>
    public static OnnxModel Load(string path, SessionOptions? options = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The ONNX model {path} does not exist; export one with model.ExportOnnx(path).", path);
        InferenceSession session;
        try
        {
            session = options is null ? new InferenceSession(path) : new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path} is not a model ONNX Runtime can load: {e.Message}", e);
        }
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue(OnnxMetadataKeys.InputShape, out string? shape) || !session.InputMetadata.ContainsKey(InputName)
            || session.OutputMetadata.Count != 1)
        {
            session.Dispose();
            throw new InvalidDataException($"{path} was not exported by SlimGen (it has no {OnnxMetadataKeys.InputShape} metadata); export it with model.ExportOnnx(path).");
        }
        static long[] Sizes(string text) => text.Split(',').Select(size => long.Parse(size, CultureInfo.InvariantCulture)).ToArray();
        var inputShape = Sizes(shape);
        var minimum = metadata.TryGetValue(OnnxMetadataKeys.MinimumInputShape, out string? smallest) ? Sizes(smallest) : null;
        // A variable output size (-1 here) is given at the declared input size.
        var declared = session.OutputMetadata.Values.Single().Dimensions.Skip(1).Select(size => (long)size).ToArray();
        var outputShape = declared.Any(size => size < 0) ? OutputShapeAt(session, inputShape, declared.Length) : declared;
        string name = metadata.TryGetValue(OnnxMetadataKeys.Model, out string? model) ? model : Path.GetFileNameWithoutExtension(path);
        return new OnnxModel(session, name, inputShape, minimum, outputShape);
    }

    /// <summary>Runs a batch of <paramref name="batchSize"/> examples laid end to end in <paramref name="inputs"/>.</summary>
    /// <returns>The outputs, <see cref="OutputSize"/> values per example, end to end.</returns>
    /// <exception cref="ShapeMismatchException"><paramref name="inputs"/> does not hold <paramref name="batchSize"/> examples of <see cref="InputShape"/>.</exception>
    public float[] Run(float[] inputs, int batchSize) => Run(inputs, [batchSize, .. InputShape]);

    /// <summary>Runs a batch whose shape is given, <c>[N, ...InputShape]</c>, or any height and width from <see cref="MinimumInputShape"/>.</summary>
    /// <exception cref="ShapeMismatchException">The shape is not <c>[N, ...InputShape]</c> (or is smaller than the minimum).</exception>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> does not hold as many values as the shape says.</exception>
    public float[] Run(float[] inputs, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(shape);
        if (MinimumInputShape is { } minimum)
        {
            if (shape.Length != 4 || shape[0] < 1 || shape[1] != minimum[0] || shape[2] < minimum[1] || shape[3] < minimum[2])
                throw new ShapeMismatchException(Name, [-1, .. minimum], [2, 3], shape);
        }
        else if (shape.Length != InputShape.Count + 1 || shape[0] < 1 || !shape.Skip(1).SequenceEqual(InputShape))
        {
            throw new ShapeMismatchException(Name, [-1, .. InputShape], shape);
        }
        long values = shape.Aggregate(1L, (product, size) => product * size);
        if (values != inputs.Length)
            throw new ArgumentException($"A batch of shape {ShapeMismatchException.FormatShape(shape)} holds {values} values, but inputs has {inputs.Length}.", nameof(inputs));

        var tensor = new DenseTensor<float>(inputs, shape.Select(size => checked((int)size)).ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(InputName, tensor)], [outputName]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    /// <summary>The output's per-example shape for one example of <paramref name="inputShape"/> (zeros), for a symbolic output size.</summary>
    private static long[] OutputShapeAt(InferenceSession session, long[] inputShape, int rank)
    {
        var zeros = new DenseTensor<float>([1, .. inputShape.Select(size => checked((int)size))]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(InputName, zeros)]);
        var dimensions = results.Single().AsTensor<float>().Dimensions.ToArray();
        return dimensions.Skip(1).Take(rank).Select(size => (long)size).ToArray();
    }

    /// <summary>The index of the largest output of each example: the predicted class of a classifier.</summary>
    public int[] Classify(float[] inputs, int batchSize)
    {
        var outputs = Run(inputs, batchSize);
        var classes = new int[batchSize];
        for (int example = 0; example < batchSize; example++)
        {
            var row = outputs.AsSpan(example * OutputSize, OutputSize);
            for (int i = 1; i < row.Length; i++)
            {
                if (row[i] > row[classes[example]])
                    classes[example] = i;
            }
        }
        return classes;
    }

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();
}
