using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace SlimGen.FashionMnistSample;

/// <summary>The training curves as a PNG: losses on the left axis, test accuracy on the right, per epoch.</summary>
internal static class CurvesChart
{
    /// <summary>Draws <paramref name="epochs"/> into a PNG file at <paramref name="path"/>.</summary>
    public static void Save(IReadOnlyList<EpochRow> epochs, string path, string title)
    {
        var plot = new Plot();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        var trainLoss = plot.Add.Scatter(x, epochs.Select(e => e.TrainLoss).ToArray());
        trainLoss.LegendText = "train loss";
        var testLoss = plot.Add.Scatter(x, epochs.Select(e => e.TestLoss).ToArray());
        testLoss.LegendText = "test loss";
        var accuracy = plot.Add.Scatter(x, epochs.Select(e => e.TestAccuracy).ToArray());
        accuracy.LegendText = "test accuracy";
        accuracy.Axes.YAxis = plot.Axes.Right;

        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel("loss");
        plot.Axes.Right.Label.Text = "accuracy";
        plot.ShowLegend(Alignment.MiddleRight);
        plot.SavePng(path, 900, 540);
    }
}
