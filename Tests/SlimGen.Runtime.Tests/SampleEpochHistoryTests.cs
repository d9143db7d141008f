using System.IO;
using System.Linq;
using SlimGen.FashionMnistSample;
using Xunit;

namespace SlimGen.Runtime.Tests;

/// <summary>The Fashion-MNIST sample's epochs.csv across interrupted and resumed runs.</summary>
public sealed class SampleEpochHistoryTests : System.IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-epochs-").FullName;

    private string CsvPath => Path.Combine(directory, "epochs.csv");

    [Fact]
    public void Rows_AreAppendedInOrder_UnderAHeader()
    {
        var history = new EpochHistory(CsvPath);

        history.Append(Row(1));
        history.Append(Row(2));

        Assert.Equal([1, 2], history.Read().Select(row => row.Epoch));
        Assert.Equal("epoch,step,train_loss,test_loss,test_accuracy,seconds,resident_mb", File.ReadLines(CsvPath).First());
    }

    [Fact]
    public void A_run_resumed_from_an_older_checkpoint_replaces_the_epochs_it_trains_again()
    {
        var killed = new EpochHistory(CsvPath);
        killed.Append(Row(1));
        killed.Append(Row(2, accuracy: 0.5));
        killed.Append(Row(3, accuracy: 0.6));

        // Killed after epoch 3 was recorded; the newest checkpoint was taken during epoch 2, so 2 and 3 run again.
        var resumed = new EpochHistory(CsvPath);
        resumed.Append(Row(2, accuracy: 0.7));
        resumed.Append(Row(3, accuracy: 0.8));

        var rows = resumed.Read();
        Assert.Equal([1, 2, 3], rows.Select(row => row.Epoch));
        Assert.Equal([0.9, 0.7, 0.8], rows.Select(row => row.TestAccuracy));
    }

    [Fact]
    public void A_line_cut_off_by_a_kill_is_skipped_and_then_replaced()
    {
        var history = new EpochHistory(CsvPath);
        history.Append(Row(1));
        File.AppendAllText(CsvPath, "2,1876,0.41");

        Assert.Equal([1], history.Read().Select(row => row.Epoch));
        history.Append(Row(2));
        Assert.Equal([1, 2], history.Read().Select(row => row.Epoch));
        Assert.Equal(3, File.ReadAllLines(CsvPath).Length);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static EpochRow Row(int epoch, double accuracy = 0.9) => new(epoch, epoch * 938L, 0.5, 0.4, accuracy, 12.5, 300);
}
