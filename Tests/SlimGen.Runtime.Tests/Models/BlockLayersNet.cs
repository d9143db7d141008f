using System.Collections.Generic;
using SlimGen.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests.Models;

/// <summary>
/// The layers that blocks bring, written by hand in the shape of a generated model (fields named by scope, a static
/// <c>Summary</c>) until the generator emits them: non-square kernels, PyTorch's symmetric padding with and without a
/// padding size, dilated SAME padding that is asymmetric, depthwise convolution, symmetric pools, batch norm without
/// scale and global average pooling. What the ONNX export must reproduce.
/// </summary>
public sealed class BlockLayersNet : nn.Module<Tensor, Tensor>, ISlimModel
{
    private readonly Conv2d conv1 = new(3, 4, (1, 7), padding: Pad.Symmetric);
    // SAME over 9 x 10 with a dilated extent of 5 at stride 2: rows (2, 2), columns (1, 2).
    private readonly Conv2d conv2 = new(4, 6, 3, stride: 2, dilation: 2, normalizer: Norm.BatchNorm, batchNorm: new BatchNormOptions(Epsilon: 1e-3, Scale: false));
    private readonly DepthwiseConv2d depthwise = new(6, 2, 3, stride: 2, padding: Pad.Symmetric, activation: Act.Relu6, normalizer: Norm.BatchNorm);
    private readonly Conv2d conv3 = new(12, 8, 3, padding: Pad.Symmetric, paddingSize: (2, 1), biasInit: Init.Constant, biasValue: 0.1);
    private readonly AvgPool2d avg = new(3, 1, Pad.Symmetric);
    private readonly MaxPool2d max = new(3, 2, Pad.Symmetric);
    private readonly BatchNorm bn = new(8, scale: false);
    private readonly GlobalAvgPool2d gap = new();
    private readonly Flatten flatten = new();
    private readonly FullyConnected logits = new(8, 5, activation: Act.None);

    public BlockLayersNet()
        : base(nameof(BlockLayersNet))
    {
        RegisterComponents();
    }

    /// <summary>The layer table a generated model would have; the export reads the scopes and the output shapes.</summary>
    public static ModelSummary Summary { get; } = new(nameof(BlockLayersNet), [3, 9, 10],
        new LayerSummary("conv1", Op.Conv2d, [4, 9, 10], 0, 0, 0),
        new LayerSummary("conv2", Op.Conv2d, [6, 5, 5], 0, 0, 0),
        new LayerSummary("depthwise", Op.DepthwiseConv2d, [12, 3, 3], 0, 0, 0),
        new LayerSummary("conv3", Op.Conv2d, [8, 5, 3], 0, 0, 0),
        new LayerSummary("avg", Op.AvgPool2d, [8, 5, 3], 0, 0, 0),
        new LayerSummary("max", Op.MaxPool2d, [8, 3, 2], 0, 0, 0),
        new LayerSummary("bn", Op.BatchNorm, [8, 3, 2], 0, 0, 0),
        new LayerSummary("gap", Op.GlobalAvgPool2d, [8, 1, 1], 0, 0, 0),
        new LayerSummary("flatten", Op.Flatten, [8], 0, 0, 0),
        new LayerSummary("logits", Op.FullyConnected, [5], 0, 0, 0));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv1.call(input);
        x = conv2.call(x);
        x = depthwise.call(x);
        x = conv3.call(x);
        x = avg.call(x);
        x = max.call(x);
        x = bn.call(x);
        x = gap.call(x);
        x = flatten.call(x);
        return logits.call(x).MoveToOuterDisposeScope();
    }

    ModelSummary ISlimModel.Summary => Summary;

    /// <summary>Only the output: the export reads no end point.</summary>
    public (Tensor Output, IReadOnlyDictionary<string, Tensor> Endpoints) ForwardWithEndpoints(Tensor input)
    {
        var output = forward(input);
        return (output, new Dictionary<string, Tensor> { ["logits"] = output });
    }

    public Tensor RegularizationLoss() => tensor(0f);
}
