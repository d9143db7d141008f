using System;
using Xunit;

namespace SlimGen.Runtime.Tests;

public class SummaryTests
{
    private static ModelSummary Tiny() => new(
        "Tiny",
        [1, 28, 28],
        new LayerSummary("conv1/conv1_1", Op.Conv2d, [8, 28, 28], 80, 56_448, 25_088),
        new LayerSummary("pool1", Op.MaxPool2d, [8, 14, 14], 0, 0, 6_272),
        new LayerSummary("flatten", Op.Flatten, [1568], 0, 0, 0),
        new LayerSummary("fc2", Op.FullyConnected, [10], 15_690, 15_680, 40));

    [Fact]
    public void Totals_SumTheLayers()
    {
        var summary = Tiny();

        Assert.Equal(15_770, summary.TotalParameters);
        Assert.Equal(72_128, summary.TotalMacs);
        Assert.Equal(31_400, summary.ForwardBytes);
        Assert.Equal(62_800, summary.ForwardBackwardBytes);
        Assert.Equal(4, summary.Layers.Count);
        Assert.Equal("Tiny", summary.ModelName);
        Assert.Equal([1L, 28, 28], summary.InputShape);
    }

    [Fact]
    public void ToString_RendersAFixedWidthTable()
    {
        string[] expected =
        [
            "Model: Tiny, input [N, 1, 28, 28]",
            "==========================================================================",
            "Layer (scope)  Op              Output shape    Params    MACs  Activations",
            "==========================================================================",
            "conv1/conv1_1  Conv2d          [N, 8, 28, 28]      80  56,448     25.09 KB",
            "pool1          MaxPool2d       [N, 8, 14, 14]       0       0      6.27 KB",
            "flatten        Flatten         [N, 1568]            0       0          0 B",
            "fc2            FullyConnected  [N, 10]         15,690  15,680         40 B",
            "==========================================================================",
            "Total params: 15,770",
            "Total MACs: 72,128 (72.13 K)",
            "Activations per example (float32): forward 31.40 KB, forward/backward 62.80 KB",
            "",
        ];

        Assert.Equal(string.Join(Environment.NewLine, expected), Tiny().ToString());
    }

    [Fact]
    public void LargeTotals_AreAlsoShownInHumanUnits()
    {
        var summary = new ModelSummary("Big", [3, 224, 224], new LayerSummary("all", Op.Conv2d, [1000], 138_357_544, 15_470_264_320, 4_000));

        var text = summary.ToString();

        Assert.Contains("Total params: 138,357,544", text);
        Assert.Contains("Total MACs: 15,470,264,320 (15.47 G)", text);
    }
}
