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
/// and the numbers can be read by other tools.
/// </summary>
internal sealed class EpochHistory(string path)
{
    private const string Header = "epoch,step,train_loss,test_loss,test_accuracy,seconds,resident_mb";

    /// <summary>Appends <paramref name="row"/>, creating the file with its header first when needed.</summary>
    public void Append(EpochRow row)
    {
        if (!File.Exists(path))
            File.WriteAllText(path, Header + Environment.NewLine);
        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture,
            $"{row.Epoch},{row.Step},{row.TrainLoss:R},{row.TestLoss:R},{row.TestAccuracy:R},{row.Seconds:0.00},{row.ResidentMegabytes:0}{Environment.NewLine}"));
    }

    /// <summary>Every recorded epoch, in file order; none when the file does not exist.</summary>
    public IReadOnlyList<EpochRow> Read() =>
        File.Exists(path)
            ? File.ReadLines(path).Skip(1).Select(line => line.Split(',')).Select(cells => new EpochRow(
                int.Parse(cells[0], CultureInfo.InvariantCulture), long.Parse(cells[1], CultureInfo.InvariantCulture),
                Number(cells[2]), Number(cells[3]), Number(cells[4]), Number(cells[5]), Number(cells[6]))).ToArray()
            : [];

    private static double Number(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);
}
