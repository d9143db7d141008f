using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SlimGen.Checkpoints;
using SlimGen.Runtime.Tests.Models;
using SlimGen.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Weights exported from PyTorch by Tests/Fixtures/export_checkpoint_fixtures.py (and, in torch.save's legacy and tar
/// layouts, export_legacy_checkpoint_fixtures.py), loaded into the equivalent SlimGen
/// models, must reproduce PyTorch's outputs; torchvision's VGG keys must map onto the zoo's VGG models.
/// </summary>
public class CheckpointPyTorchTests
{
    [Theory]
    [InlineData("small_cnn.safetensors")]
    [InlineData("small_cnn.pt")]
    [InlineData("small_cnn.legacy.pt")]
    [InlineData("small_cnn.tar.pt")]
    public void A_small_cnn_with_batch_norm_statistics_reproduces_pytorch(string file)
    {
        using var scope = NewDisposeScope();
        using var model = new SmallCnn();

        var report = Checkpoint.Load(model, CheckpointAssert.Fixture(file));

        Assert.True(report.IsComplete);
        Assert.Equal(10, report.Loaded.Count); // conv1.weight, 5 x conv1.bn.*, conv2 and logits weight and bias
        Assert.Equal(7, model.state_dict()["conv1.bn.num_batches_tracked"].item<long>());
        AssertReproducesPyTorch(model, "small_cnn.io.safetensors");
    }

    [Theory]
    [InlineData("tiny_vgg.safetensors")]
    [InlineData("tiny_vgg.pt")]
    [InlineData("tiny_vgg.legacy.pt")]
    [InlineData("tiny_vgg.tar.pt")]
    public void A_reduced_vgg_in_torchvisions_layout_loads_through_the_name_map_and_reproduces_pytorch(string file)
    {
        using var scope = NewDisposeScope();
        using var model = new TinyVgg();

        var report = TorchVisionVgg.Load(model, TinyVgg.Summary, CheckpointAssert.Fixture(file));

        Assert.True(report.IsComplete);
        Assert.Equal(16, report.Loaded.Count);
        // fc6 reads a 16x2x2 map: matching PyTorch proves that Flatten orders it as torch.flatten does.
        AssertReproducesPyTorch(model, "tiny_vgg.io.safetensors");
    }

    [Fact]
    public void The_vgg_name_map_follows_torchvisions_numbering_of_convolutions_relus_and_pools()
    {
        var expected = new Dictionary<string, string>
        {
            ["features.0"] = "conv1.conv1_1",
            ["features.2"] = "conv1.conv1_2",
            ["features.5"] = "conv2.conv2_1",
            ["features.8"] = "conv3.conv3_1",
            ["features.10"] = "conv3.conv3_2",
            ["classifier.0"] = "fc6",
            ["classifier.3"] = "fc7",
            ["classifier.6"] = "fc8",
        };

        Assert.Equal(expected, TorchVisionVgg.LayerNames(TinyVgg.Summary));
    }

    public static TheoryData<string> ZooModels => new("vgg11", "vgg16", "vgg19");

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void The_zoo_maps_every_torchvision_key_onto_a_layer_with_the_same_parameter_count(string name)
    {
        var summary = name switch
        {
            "vgg11" => Vgg11.Summary,
            "vgg16" => Vgg16.Summary,
            _ => Vgg19.Summary,
        };
        var names = TorchVisionVgg.LayerNames(summary);
        var torchvision = TorchVisionLayout(name);
        var map = NameMap.FromPrefixes(names);

        var parametersByScope = torchvision
            .GroupBy(pair => ScopeOf(map.Apply(pair.Key)), pair => pair.Value.Aggregate(1L, (product, dimension) => product * dimension))
            .ToDictionary(group => group.Key, group => group.Sum());

        var weighted = summary.Layers.Where(layer => layer.Parameters > 0).ToList();
        Assert.Equal(weighted.Select(layer => layer.Scope.Replace('/', '.')), parametersByScope.Keys);
        Assert.All(weighted, layer => Assert.Equal(layer.Parameters, parametersByScope[layer.Scope.Replace('/', '.')]));
        Assert.Equal(2 * weighted.Count, torchvision.Count); // a weight and a bias each, nothing left unmapped
    }

    [Fact]
    public void Vgg16_loads_torchvision_weights_in_one_call_that_applies_the_name_map()
    {
        // The reduced VGG's file has torchvision's names but neither VGG-16's sizes nor its depth: the strict load must
        // fail on shapes (proving that the names were mapped), on the layers the file lacks, and on features.8, a
        // convolution in the reduced VGG but a ReLU in VGG-16; and it must leave the model untouched.
        using var scope = NewDisposeScope();
        using var model = new Vgg16();
        var firstWeights = model.state_dict()["conv1.conv1_1.weight"].detach().clone();

        var error = Assert.Throws<CheckpointException>(() => model.LoadTorchVisionWeights(CheckpointAssert.Fixture("tiny_vgg.pt")));

        var report = error.Report!;
        Assert.Equal(["features.8.bias", "features.8.weight"], report.Unexpected.Select(key => key.CheckpointKey).Order());
        Assert.Equal(14, report.Mismatched.Count);
        Assert.Contains(report.Mismatched, mismatch => mismatch is { ModelKey: "conv1.conv1_1.weight", CheckpointKey: "features.0.weight" });
        Assert.Contains("conv5.conv5_3.weight", report.Missing);
        CheckpointAssert.Same(firstWeights, model.state_dict()["conv1.conv1_1.weight"]);
    }

    private static void AssertReproducesPyTorch(nn.Module<Tensor, Tensor> model, string ioFile)
    {
        var io = Checkpoint.LoadTensors(CheckpointAssert.Fixture(ioFile));
        model.eval();
        using var noGrad = no_grad();
        CheckpointAssert.Close(io["output"], model.call(io["input"]));
    }

    private static string ScopeOf(string key) => key[..key.LastIndexOf('.')];

    private static Dictionary<string, long[]> TorchVisionLayout(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(CheckpointAssert.Fixture("torchvision_vgg_layout.json")));
        return document.RootElement.GetProperty(name).EnumerateObject()
            .ToDictionary(key => key.Name, key => key.Value.EnumerateArray().Select(dimension => dimension.GetInt64()).ToArray());
    }
}
