using System;
using System.IO;
using System.Reflection;
using SlimGen.Data;
using TorchSharp;

namespace SlimGen.FashionMnistSample;

/// <summary>The network to train.</summary>
public enum ModelKind
{
    /// <summary><see cref="TutorialCnn"/>.</summary>
    Tutorial,

    /// <summary><see cref="TutorialCnnBatchNorm"/>.</summary>
    BatchNorm,
}

/// <summary>What one run of the program trains, on what, and where its files go.</summary>
internal sealed record RunSettings(
    ModelKind Model, DataSource Data, int Epochs, int BatchSize, double LearningRate, long Seed, int Threads, string? OutputDirectory)
{
    /// <summary>The given folder, or a new one under runs/fashion-mnist named after the model, the data and the time.</summary>
    public string ResolveOutputDirectory() =>
        OutputDirectory ?? Path.GetFullPath(Path.Combine("runs", "fashion-mnist", $"{Model.ToString().ToLowerInvariant()}-{Data.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"));

    /// <summary>A new model of the chosen kind, with weights drawn from the current random state, and its regularization loss.</summary>
    public (torch.nn.Module<torch.Tensor, torch.Tensor> Model, Func<torch.Tensor> RegularizationLoss) CreateModel()
    {
        switch (Model)
        {
            case ModelKind.Tutorial:
                var tutorial = new TutorialCnn();
                return (tutorial, tutorial.RegularizationLoss);
            case ModelKind.BatchNorm:
                var batchNorm = new TutorialCnnBatchNorm();
                return (batchNorm, batchNorm.RegularizationLoss);
            default:
                throw new ArgumentOutOfRangeException(nameof(Model), Model, "Unknown model.");
        }
    }

    /// <summary>The compile-time summary of the chosen model.</summary>
    public ModelSummary Summary => Model == ModelKind.BatchNorm ? TutorialCnnBatchNorm.Summary : TutorialCnn.Summary;
}

/// <summary>Where the examples come from: the subset embedded in the program, or a folder with the four IDX files.</summary>
/// <param name="Directory">The folder; null for the embedded subset.</param>
internal sealed record DataSource(string? Directory)
{
    /// <summary>What the embedded subset is (Data/make_subset.py writes it).</summary>
    public const string SubsetDescription = "class-balanced subset (1,600 training and 400 test images)";

    /// <summary><c>subset</c>, <c>full</c> (the Debian package's folder) or a folder.</summary>
    public static DataSource Parse(string value) => value switch
    {
        "subset" => new DataSource((string?)null),
        "full" => new DataSource(FashionMnist.InstalledDirectory),
        _ => new DataSource(Path.GetFullPath(value)),
    };

    /// <summary>A short name for run folders: subset, full or custom.</summary>
    public string Name => Directory switch
    {
        null => "subset",
        FashionMnist.InstalledDirectory => "full",
        _ => "custom",
    };

    /// <summary>The training and test splits.</summary>
    /// <exception cref="FileNotFoundException">A file is missing from the folder.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or the files do not belong together.</exception>
    public (InMemoryDataset Train, InMemoryDataset Test) Load()
    {
        var train = Load(DatasetSplit.Train);
        try
        {
            return (train, Load(DatasetSplit.Test));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Where the data is, for people.</summary>
    public override string ToString() => Directory is null ? $"the embedded {SubsetDescription}" : Directory;

    private InMemoryDataset Load(DatasetSplit split)
    {
        if (Directory is not null)
            return FashionMnist.Load(Directory, split);
        var (images, labels) = FashionMnist.FileNames(split);
        using var imageStream = Resource(images);
        using var labelStream = Resource(labels);
        return FashionMnist.Load(imageStream, labelStream, images, labels);
    }

    private static Stream Resource(string fileName) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream("FashionMnist." + fileName)
        ?? throw new InvalidOperationException($"The embedded resource FashionMnist.{fileName} is missing; see the project file.");
}
