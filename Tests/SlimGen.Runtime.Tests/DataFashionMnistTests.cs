using System;
using System.IO;
using System.Linq;
using SlimGen.Data;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Fashion-MNIST loading: crafted folders, the checks that tie the files together, and the sample's embedded subset.</summary>
public sealed class DataFashionMnistTests : IDisposable
{
    private readonly DataTestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Loads_images_scaled_to_unit_range_and_labels_as_int64()
    {
        files.WriteFashionMnist("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", count: 12);

        using var test = FashionMnist.Load(files.Directory, DatasetSplit.Test);

        Assert.Equal(12, test.Count);
        Assert.Equal([12L, 1, 28, 28], test.Inputs.shape);
        Assert.Equal(ScalarType.Float32, test.Inputs.dtype);
        Assert.Equal(ScalarType.Int64, test.Labels.dtype);
        Assert.Equal(11 / 255f, test.Inputs[11, 0, 27, 27].item<float>());
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1 }, test.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Unpacked_files_are_found_too()
    {
        files.WriteFashionMnist("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", count: 3);
        foreach (string name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte" })
        {
            using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(files.Directory, name + ".gz")), System.IO.Compression.CompressionMode.Decompress))
            using (var unpacked = File.Create(Path.Combine(files.Directory, name)))
                gzip.CopyTo(unpacked);
            File.Delete(Path.Combine(files.Directory, name + ".gz"));
        }

        using var train = FashionMnist.Load(files.Directory, DatasetSplit.Train);

        Assert.Equal(3, train.Count);
    }

    [Fact]
    public void A_missing_file_names_it_and_says_how_to_get_the_dataset()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(files.Directory, DatasetSplit.Train));

        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains(files.Directory, error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.False(FashionMnist.IsAvailable(files.Directory));
    }

    [Fact]
    public void Images_and_labels_of_different_lengths_do_not_belong_together()
    {
        files.WriteFashionMnist("train-images-idx3-ubyte.gz", "unused", count: 5);
        files.WriteFashionMnist("unused", "train-labels-idx1-ubyte.gz", count: 4);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(files.Directory, DatasetSplit.Train));

        Assert.Contains("holds 5 images but train-labels-idx1-ubyte.gz holds 4 labels", error.Message);
    }

    [Fact]
    public void Images_of_another_size_are_rejected()
    {
        files.WriteFashionMnist("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", count: 2, imageSize: 32);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(files.Directory, DatasetSplit.Train));

        Assert.Contains("shape [2, 32, 32]; Fashion-MNIST images are [N, 28, 28]", error.Message);
    }

    [Fact]
    public void A_label_outside_the_ten_classes_is_rejected()
    {
        files.WriteFashionMnist("train-images-idx3-ubyte.gz", "unused", count: 3);
        files.Write("train-labels-idx1-ubyte.gz", DataTestFiles.Gzip(DataTestFiles.Idx([3], [1, 10, 2])));

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(files.Directory, DatasetSplit.Train));

        Assert.Contains("the label 10 at index 1", error.Message);
    }

    [Fact]
    public void The_embedded_subset_is_class_balanced_real_data()
    {
        string subset = Path.Combine(AppContext.BaseDirectory, "Data", "FashionMnist");

        using var train = FashionMnist.Load(subset, DatasetSplit.Train);
        using var test = FashionMnist.Load(subset, DatasetSplit.Test);

        Assert.Equal(1600, train.Count);
        Assert.Equal(400, test.Count);
        using var trainCounts = train.Labels.bincount(weights: null, minlength: 10);
        using var testCounts = test.Labels.bincount(weights: null, minlength: 10);
        Assert.All(trainCounts.data<long>().ToArray(), count => Assert.Equal(160, count));
        Assert.All(testCounts.data<long>().ToArray(), count => Assert.Equal(40, count));
        // Real images: dark background, bright garments (a crafted file would not look like this).
        using var mean = train.Inputs.mean();
        Assert.InRange(mean.item<float>(), 0.2f, 0.4f);
    }
}
