using System.Linq;
using SlimGen.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>The zoo's VGG models, built once: VGG-16 has 138 million parameters.</summary>
public class ZooTests
{
    [Fact]
    public void Vgg16_has_the_published_parameter_count_and_classifies_into_1000_classes()
    {
        using var model = new Vgg16();
        model.eval();
        using var input = torch.randn(2, 3, 224, 224);

        using var output = model.call(input);

        Assert.Equal(138_357_544, model.parameters().Sum(p => p.numel()));
        Assert.Equal(138_357_544, Vgg16.Summary.TotalParameters);
        Assert.Equal(new long[] { 2, 1000 }, output.shape);
        // 13 convolutions and 3 dense layers, each with a weight and a bias.
        Assert.Equal(32, model.state_dict().Count);
        Assert.Equal("conv1.conv1_2.weight", model.state_dict().Keys.ElementAt(2));
        Assert.Equal(new long[] { 4096, 25088 }, model.state_dict()["fc6.weight"].shape);
    }

    [Fact]
    public void Vgg_family_depths_and_custom_class_count()
    {
        Assert.Equal(132_863_336, Vgg11.Summary.TotalParameters);
        Assert.Equal(143_667_240, Vgg19.Summary.TotalParameters);
        Assert.Equal(11, Vgg11.Summary.Layers.Count(l => l.Op is Op.Conv2d or Op.FullyConnected));
        Assert.Equal(19, Vgg19.Summary.Layers.Count(l => l.Op is Op.Conv2d or Op.FullyConnected));

        using var model = new Vgg11(numClasses: 10);
        Assert.Equal(new long[] { 10, 4096 }, model.state_dict()["fc8.weight"].shape);
    }
}
