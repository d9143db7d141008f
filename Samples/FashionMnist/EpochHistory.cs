using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace SlimGen.FashionMnistSample;

/// <summary>One finished epoch, as the program reports and records it.</summary>
internal sealed record EpochRow(int Epoch, long Step, double TrainLoss, double TestLoss, double TestAccuracy, double Seconds, double ResidentMegabytes);

/// <summary>
/// The run's epochs in a CSV file, one row appended as each epoch ends, so that a resumed run charts its whole history
/// and the numbers can be read by other tools. A run resumes from its newest checkpoint, which can be older than the
/// newest row (a process killed between an epoch's end and the next checkpoint): the epochs it trains again replace
/// their rows instead of adding a second copy.
/// </summary>
internal sealed class EpochHistory(string path)
{
    private const string Header = "epoch,step,train_loss,test_loss,test_accuracy,seconds,resident_mb";

    /// <summary>
    /// Appends <paramref name="row"/> after the rows of earlier epochs, dropping any of its epoch or later. The file (a
    /// row per epoch) is rewritten whole, through a temporary file, so that a kill midway leaves the old file or the new one.
    /// </summary>
    public void Append(EpochRow row)
    {
        var earlier = Read().Where(previous => previous.Epoch < row.Epoch);
        string temporary = path + ".tmp";
        File.WriteAllLines(temporary, earlier.Select(Format).Prepend(Header).Append(Format(row)));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every recorded epoch, in file order; none when the file does not exist. A cut-off last line is skipped.</summary>
    public IReadOnlyList<EpochRow> Read() =>
        File.Exists(path) ? File.ReadLines(path).Skip(1).Select(Parse).OfType<EpochRow>().ToArray() : [];

    private static string Format(EpochRow row) => string.Create(CultureInfo.InvariantCulture,
        $"{row.Epoch},{row.Step},{row.TrainLoss:R},{row.TestLoss:R},{row.TestAccuracy:R},{row.Seconds:0.00},{row.ResidentMegabytes:0}");

    private static EpochRow? Parse(string line)
    {
        var cells = line.Split(',');
        var numbers = cells.Skip(2).Select(cell => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null).ToArray();
        return cells.Length == 7 && int.TryParse(cells[0], CultureInfo.InvariantCulture, out int epoch)
               && long.TryParse(cells[1], CultureInfo.InvariantCulture, out long step) && numbers.All(number => number is not null)
            ? new EpochRow(epoch, step, numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value, numbers[3]!.Value, numbers[4]!.Value)
            : null;
    }
}
