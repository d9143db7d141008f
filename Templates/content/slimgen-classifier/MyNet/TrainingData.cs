using System.Reflection;
using SlimGen.Data;

namespace MyNet;

/// <summary>Fashion-MNIST: the subset embedded in the program, or the four IDX files of a folder.</summary>
public static class TrainingData
{
    /// <summary>Loads one split from <paramref name="directory"/>, or from the embedded subset when it is null.</summary>
    public static InMemoryDataset Load(DatasetSplit split, string? directory = null)
    {
        if (directory is not null)
            return FashionMnist.Load(directory, split);
        var (images, labels) = FashionMnist.FileNames(split);
        using var imageStream = Resource(images);
        using var labelStream = Resource(labels);
        return FashionMnist.Load(imageStream, labelStream, images, labels);
    }

    private static Stream Resource(string fileName) =>
        typeof(TrainingData).Assembly.GetManifestResourceStream("FashionMnist." + fileName)
        ?? throw new InvalidOperationException($"The embedded resource FashionMnist.{fileName} is missing; see MyNet.csproj.");
}
