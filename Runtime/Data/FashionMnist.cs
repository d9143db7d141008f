using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen.Data;

/// <summary>The part of a dataset to load.</summary>
public enum DatasetSplit
{
    /// <summary>The training examples (60,000 in Fashion-MNIST).</summary>
    Train,

    /// <summary>The test examples (10,000 in Fashion-MNIST).</summary>
    Test,
}

/// <summary>
/// Zalando's Fashion-MNIST: 28x28 grayscale images of clothing in 10 classes, stored as four IDX files. Loaded
/// datasets hold images <c>[N, 1, 28, 28]</c> as <c>float32</c> in [0, 1] and labels <c>[N]</c> as <c>int64</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the full dataset.</summary>
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The height and width of every image.</summary>
    public const int ImageSize = 28;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The standard names of a split's image and label files (gzip-compressed).</summary>
    /// <param name="split">The split.</param>
    public static (string Images, string Labels) FileNames(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        DatasetSplit.Test => ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    /// <summary>Whether <paramref name="directory"/> holds all four files, compressed or unpacked.</summary>
    /// <param name="directory">The folder to look in.</param>
    public static bool IsAvailable(string directory) =>
        Enum.GetValues<DatasetSplit>()
            .Select(FileNames)
            .All(names => Locate(directory, names.Images) is not null && Locate(directory, names.Labels) is not null);

    /// <summary>Loads one split from the standard files in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder with the IDX files, e.g. <see cref="InstalledDirectory"/>.</param>
    /// <param name="split">The split to load.</param>
    /// <returns>The split's images and labels, on the CPU.</returns>
    /// <exception cref="FileNotFoundException">A file of the split is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or the files do not describe the same Fashion-MNIST examples.</exception>
    public static InMemoryDataset Load(string directory, DatasetSplit split)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var (images, labels) = FileNames(split);
        return FromIdx(Idx.Read(Require(directory, images)), Idx.Read(Require(directory, labels)), images, labels);
    }

    /// <summary>Loads images and labels from two IDX streams, e.g. embedded resources.</summary>
    /// <param name="images">The image file's bytes, <c>[N, 28, 28]</c>, gzip-compressed or not.</param>
    /// <param name="labels">The label file's bytes, <c>[N]</c>, gzip-compressed or not.</param>
    /// <param name="imagesName">The image file's name, for error messages.</param>
    /// <param name="labelsName">The label file's name, for error messages.</param>
    /// <returns>The images and labels, on the CPU.</returns>
    /// <exception cref="InvalidDataException">A stream is corrupt, or the two do not describe the same Fashion-MNIST examples.</exception>
    public static InMemoryDataset Load(Stream images, Stream labels, string imagesName, string labelsName) =>
        FromIdx(Idx.Read(images, imagesName), Idx.Read(labels, labelsName), imagesName, labelsName);

    private static InMemoryDataset FromIdx(IdxArray images, IdxArray labels, string imagesName, string labelsName)
    {
        if (images.Shape is not [_, ImageSize, ImageSize])
            throw new InvalidDataException($"{imagesName} holds an array of shape {Idx.FormatShape(images.Shape)}; Fashion-MNIST images are [N, {ImageSize}, {ImageSize}].");
        if (labels.Shape.Count != 1)
            throw new InvalidDataException($"{labelsName} holds an array of shape {Idx.FormatShape(labels.Shape)}; Fashion-MNIST labels are [N].");
        if (images.Shape[0] != labels.Shape[0])
            throw new InvalidDataException($"{imagesName} holds {images.Shape[0]:N0} images but {labelsName} holds {labels.Shape[0]:N0} labels; the files do not belong together.");
        int outOfRange = labels.Data.Span.IndexOfAnyInRange((byte)ClassNames.Count, byte.MaxValue);
        if (outOfRange >= 0)
            throw new InvalidDataException($"{labelsName} holds the label {labels.Data.Span[outOfRange]} at index {outOfRange}; Fashion-MNIST labels are 0 to {ClassNames.Count - 1}.");

        using var scope = NewDisposeScope();
        var pixels = images.ToTensor().to_type(ScalarType.Float32).div_(255).unsqueeze(1);
        var classes = labels.ToTensor().to_type(ScalarType.Int64);
        return new InMemoryDataset(pixels, classes);
    }

    private static string Require(string directory, string fileName) =>
        Locate(directory, fileName) ?? throw new FileNotFoundException(
            $"Fashion-MNIST's {fileName} (or the unpacked {Path.GetFileNameWithoutExtension(fileName)}) is not in {directory}. " +
            $"On Debian, `apt-get install dataset-fashion-mnist` installs the dataset in {InstalledDirectory}; elsewhere, " +
            "download the four files from https://github.com/zalandoresearch/fashion-mnist.",
            Path.Combine(directory, fileName));

    private static string? Locate(string directory, string fileName) =>
        new[] { fileName, Path.GetFileNameWithoutExtension(fileName) }
            .Select(name => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
