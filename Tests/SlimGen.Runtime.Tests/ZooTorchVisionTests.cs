using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SlimGen.Checkpoints;
using SlimGen.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// The zoo against torchvision: parameter counts and every state_dict key and shape through the name maps
/// (Fixtures/zoo/torchvision_zoo_layout.json), and the blocks' numbers against torchvision's own modules
/// (Fixtures/zoo/*.safetensors, float64 references from Tests/Fixtures/export_zoo_fixtures.py) in eval mode with
/// non-trivial batch-norm statistics and for one training step: outputs, gradients and running statistics.
/// </summary>
public class ZooTorchVisionTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> TorchVisionModels => new("resnet18", "resnet50", "resnext50_32x4d", "googlenet", "inception_v3", "inception_v3_aux", "mobilenet_v2", "alexnet");

    [Theory]
    [MemberData(nameof(TorchVisionModels))]
    public void Every_torchvision_key_maps_onto_a_zoo_key_of_the_same_shape_and_nothing_is_left_over(string name)
    {
        using var scope = NewDisposeScope();
        var (model, map, summary) = Create(name);
        using var _ = model;
        var layout = Layout(name);
        var state = model.state_dict();

        // The summary is at the constructor's defaults, which leave the auxiliary head out.
        Assert.Equal(layout.GetProperty("parameter_count").GetInt64(), model.parameters().Sum(p => p.numel()));
        if (name != "inception_v3_aux") Assert.Equal(summary.TotalParameters, model.parameters().Sum(p => p.numel()));
        var mapped = layout.GetProperty("state_dict").EnumerateArray()
            .Select(entry => (Key: map.Apply(entry[0].GetString()!), Shape: entry[1].EnumerateArray().Select(d => d.GetInt64()).ToArray()))
            .ToList();
        Assert.All(mapped, entry =>
        {
            Assert.True(state.ContainsKey(entry.Key), $"{entry.Key} is not a key of {name}");
            Assert.Equal(entry.Shape, state[entry.Key].shape);
        });
        Assert.Equal(state.Keys.Order(), mapped.Select(entry => entry.Key).Order());
    }

    [Theory]
    [InlineData("lenet", 3_274_634L)]
    [InlineData("mobilenet_v1", 4_231_976L)]
    public void The_tf_slim_models_have_tf_slims_parameter_counts(string name, long parameters)
    {
        var summary = name == "lenet" ? LeNet.Summary : MobileNetV1.Summary;
        Assert.Equal(parameters, summary.TotalParameters);
    }

    public static TheoryData<string> Blocks => new(
        "resnet_basic_block", "resnet_basic_block_downsample", "resnet_bottleneck", "resnet_bottleneck_downsample",
        "googlenet_inception", "inception_v3_a", "inception_v3_b", "inception_v3_c", "inception_v3_d", "inception_v3_e",
        "mobilenet_v2_expand_stride2", "mobilenet_v2_expand_residual", "mobilenet_v2_no_expansion",
        "resnet_v2_bottleneck_projection", "resnet_v2_bottleneck_subsample", "resnext_bottleneck");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_block_with_torchvisions_weights_gives_torchvisions_outputs_in_eval_mode(string name)
    {
        using var scope = NewDisposeScope();
        using var block = LoadBlock(name);
        var io = Checkpoint.LoadTensors(Fixture(name + ".io.safetensors"));
        block.eval();
        using (no_grad())
        {
            AssertClose(io["eval_output"], block.call(io["input"]), "eval output");
        }
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_block_with_torchvisions_weights_gives_torchvisions_outputs_gradients_and_statistics_in_a_training_step(string name)
    {
        using var scope = NewDisposeScope();
        using var block = LoadBlock(name);
        var io = Checkpoint.LoadTensors(Fixture(name + ".io.safetensors"));
        var map = BlockNames(name);
        block.train();
        var input = io["input"].clone().requires_grad_();
        var output = block.call(input);
        (output * io["loss_weights"]).sum().backward();

        AssertClose(io["train_output"], output.detach(), "train output");
        AssertClose(io["grad_input"], input.grad!, "input gradient");
        AssertGradientsAndStatistics(io, block, map);
    }

    /// <summary>
    /// The fixture's <c>grad.&lt;key&gt;</c> gradients and <c>running_mean.&lt;key&gt;</c> / <c>running_var.&lt;key&gt;</c>
    /// statistics (torchvision's keys, which <paramref name="map"/> renames) against the model's after its training step.
    /// </summary>
    internal static void AssertGradientsAndStatistics(IReadOnlyDictionary<string, Tensor> io, nn.Module model, Func<string, string> map)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var state = model.state_dict();
        foreach (var (key, expected) in io.Where(pair => pair.Key.Contains('.')))
        {
            var (kind, torchvisionKey) = (key[..key.IndexOf('.')], key[(key.IndexOf('.') + 1)..]);
            if (kind == "grad") AssertClose(expected, parameters[map(torchvisionKey)].grad!, key);
            else if (kind is "running_mean" or "running_var") AssertClose(expected, state[map(torchvisionKey + "." + kind)], key);
        }
    }

    /// <summary>The block the fixture was exported from, built from the zoo's block classes with torchvision's weights.</summary>
    private static nn.Module<Tensor, Tensor> LoadBlock(string name)
    {
        nn.Module<Tensor, Tensor> block = name switch
        {
            "resnet_basic_block" => new BasicBlock(inChannels: 8, depth: 8),
            "resnet_basic_block_downsample" => new BasicBlock(inChannels: 8, depth: 16, stride: 2),
            "resnet_bottleneck" => new Bottleneck(inChannels: 16, depth: 4),
            "resnet_bottleneck_downsample" => new Bottleneck(inChannels: 8, depth: 4, stride: 2),
            "googlenet_inception" => new InceptionModule(inChannels: 8, ch1x1: 4, ch3x3red: 4, ch3x3: 6, ch5x5red: 2, ch5x5: 4, poolProj: 4),
            // torchvision's InceptionA..E with their fixed internal widths divided by 16, as the fixtures build them.
            "inception_v3_a" => new InceptionA(inChannels: 8, ch1x1: 4, ch5x5red: 3, ch5x5: 4, ch3x3dblRed: 4, ch3x3dbl: 6, poolFeatures: 4),
            "inception_v3_b" => new InceptionB(inChannels: 8, ch3x3: 24, ch3x3dblRed: 4, ch3x3dbl: 6),
            "inception_v3_c" => new InceptionC(inChannels: 8, ch1x1: 12, channels7x7: 4, ch7x7: 12, ch7x7dbl: 12, poolProj: 12),
            "inception_v3_d" => new InceptionD(inChannels: 8, ch3x3red: 12, ch3x3: 20, ch7x7x3red: 12, ch7x7x3: 12),
            "inception_v3_e" => new InceptionE(inChannels: 8, ch1x1: 20, ch3x3: 24, ch3x3dblRed: 28, ch3x3dbl: 24, poolProj: 12),
            "mobilenet_v2_expand_stride2" => new InvertedResidual(inChannels: 8, expansion: 6, depth: 16, stride: 2),
            "mobilenet_v2_expand_residual" => new InvertedResidual(inChannels: 16, expansion: 6, depth: 16),
            "mobilenet_v2_no_expansion" => new DepthwiseProjection(inChannels: 8, depth: 8),
            "resnext_bottleneck" => new ResNeXtBottleneck(inChannels: 64, depth: 16, width: 32),
            "resnet_v2_bottleneck_projection" => new Models.ResNetV2Bottleneck(inChannels: 8, depth: 16, bottleneck: 4, stride: 2),
            "resnet_v2_bottleneck_subsample" => new Models.ResNetV2Bottleneck(inChannels: 16, depth: 16, bottleneck: 4, stride: 2),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
        var report = Checkpoint.Load(block, Fixture(name + ".safetensors"), new LoadOptions { NameMap = NameMap.FromFunction(BlockNames(name)) });
        Assert.True(report.IsComplete);
        return block;
    }

    /// <summary>A block's torchvision keys to its SlimGen keys: the model's map, as if the block were a unit of the model.</summary>
    private static Func<string, string> BlockNames(string name)
    {
        if (name.StartsWith("resnet_v2", StringComparison.Ordinal))
        {
            return key => key; // written with SlimGen's names
        }
        var (map, unit, scope) = name switch
        {
            _ when name.StartsWith("resnet", StringComparison.Ordinal) || name.StartsWith("resnext", StringComparison.Ordinal)
                => (SlimGen.Zoo.TorchVisionModels.ResNet, "layer1.0.", "layer1.layer1_1."),
            "googlenet_inception" => (SlimGen.Zoo.TorchVisionModels.GoogLeNet, "", ""),
            _ when name.StartsWith("inception_v3", StringComparison.Ordinal) => (SlimGen.Zoo.TorchVisionModels.InceptionV3, "Mixed_5b.", "Mixed_5b."),
            "mobilenet_v2_no_expansion" => (SlimGen.Zoo.TorchVisionModels.MobileNetV2, "features.1.", "expanded_conv."),
            _ => (SlimGen.Zoo.TorchVisionModels.MobileNetV2, "features.2.", "stage2.stage2_1."),
        };
        return key =>
        {
            var mapped = map.Apply(unit + key);
            Assert.StartsWith(scope, mapped);
            return mapped[scope.Length..];
        };
    }

    private static (nn.Module<Tensor, Tensor> Model, NameMap Map, ModelSummary Summary) Create(string name) => name switch
    {
        "resnet18" => (new ResNet18(), ResNet18.TorchVisionNames, ResNet18.Summary),
        "resnet50" => (new ResNet50(), ResNet50.TorchVisionNames, ResNet50.Summary),
        "resnext50_32x4d" => (new ResNeXt50(), ResNeXt50.TorchVisionNames, ResNeXt50.Summary),
        "googlenet" => (new GoogLeNet(), GoogLeNet.TorchVisionNames, GoogLeNet.Summary),
        "inception_v3" => (new InceptionV3(), InceptionV3.TorchVisionNames, InceptionV3.Summary),
        "inception_v3_aux" => (new InceptionV3(auxLogits: true), InceptionV3.TorchVisionNames, InceptionV3.Summary),
        "mobilenet_v2" => (new MobileNetV2(), MobileNetV2.TorchVisionNames, MobileNetV2.Summary),
        "alexnet" => (new AlexNet(), AlexNet.TorchVisionNames, AlexNet.Summary),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Within <see cref="Tolerance"/> of the largest expected magnitude, element by element.</summary>
    internal static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(expected.abs().max().item<float>(), 1e-6);
        double error = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(error <= Tolerance * scale, $"{what}: max |difference| {error:G3} against a largest value of {scale:G3}");
    }

    private static JsonElement Layout(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixture("torchvision_zoo_layout.json")));
        return document.RootElement.GetProperty(name).Clone();
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "zoo", name);
}

/// <summary><c>numClasses: 0</c> leaves the logits out, as torchvision's and timm's <c>num_classes=0</c> do.</summary>
public class ZooFeatureExtractorTests
{
    [Fact]
    public void LeNet_without_classes_returns_the_features_of_its_last_hidden_layer()
    {
        using var scope = NewDisposeScope();
        using var model = new LeNet(numClasses: 0);
        model.eval();
        var features = model.call(randn(3, 1, 28, 28));
        Assert.Equal([3L, 1024], features.shape);
        Assert.DoesNotContain(model.state_dict().Keys, key => key.StartsWith("fc4", StringComparison.Ordinal));
        var (output, endpoints) = model.ForwardWithEndpoints(randn(1, 1, 28, 28));
        Assert.Equal([1L, 1024], output.shape);
        Assert.DoesNotContain("fc4", endpoints.Keys);
    }

    [Fact]
    public void ResNet18_without_classes_is_the_pooled_feature_extractor()
    {
        using var scope = NewDisposeScope();
        using var model = new ResNet18(numClasses: 0);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal([2L, 512], model.call(randn(2, 3, 224, 224)).shape);
        Assert.Equal(ResNet18.Summary.TotalParameters - 513_000, model.parameters().Sum(p => p.numel()));
    }
}

/// <summary>Models of variable size take any height and width from the minimum the generator computed.</summary>
public class ZooVariableSizeTests
{
    [Fact]
    public void InceptionV3s_minimum_is_torchvisions_75_and_the_guard_names_it()
    {
        Assert.Equal([3L, 75, 75], InceptionV3.Summary.MinimumInputShape!);
        Assert.Equal([3L, 1, 1], ResNet50.Summary.MinimumInputShape!);
        Assert.Null(GoogLeNet.Summary.MinimumInputShape);
        Assert.Contains("input [N, 3, H, W] with H >= 75 and W >= 75; counts at 299x299", InceptionV3.Summary.ToString());
        Assert.Contains("[N, 2048, ceil(H/32), ceil(W/32)]", ResNet50.Summary.ToString());

        using var scope = NewDisposeScope();
        using var model = new InceptionV3();
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal([1L, 1000], model.call(randn(1, 3, 75, 91)).shape);
        var error = Assert.Throws<ShapeMismatchException>(() => model.call(randn(1, 3, 74, 299)));
        Assert.Contains("[N, 3, >= 75, >= 75]", error.Message);
        Assert.Throws<ShapeMismatchException>(() => model.call(randn(1, 1, 299, 299)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(97, 130)]
    public void ResNet18_and_MobileNetV2_run_at_sizes_other_than_the_declared_one(int height, int width)
    {
        using var scope = NewDisposeScope();
        using var resnet = new ResNet18();
        using var mobilenet = new MobileNetV2();
        resnet.eval();
        mobilenet.eval();
        using var noGrad = no_grad();
        Assert.Equal([2L, 1000], resnet.call(randn(2, 3, height, width)).shape);
        Assert.Equal([2L, 1000], mobilenet.call(randn(2, 3, height, width)).shape);
    }
}

/// <summary><c>LoadTorchVisionWeights</c> on each zoo model, from a file in torchvision's key layout (shapes from the fixture).</summary>
public class ZooLoadTorchVisionWeightsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("slimgen-zoo-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("resnet18")]
    [InlineData("googlenet")]
    [InlineData("inception_v3_aux")]
    [InlineData("mobilenet_v2")]
    public void A_file_with_torchvisions_keys_loads_completely_in_one_call(string name)
    {
        using var scope = NewDisposeScope();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "zoo", "torchvision_zoo_layout.json")));
        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in document.RootElement.GetProperty(name).GetProperty("state_dict").EnumerateArray())
        {
            var shape = entry[1].EnumerateArray().Select(d => d.GetInt64()).ToArray();
            tensors[entry[0].GetString()!] = entry[2].GetString() == "I64" ? full(shape, 7L, ScalarType.Int64) : randn(shape);
        }
        string path = Path.Combine(directory, name + ".safetensors");
        Checkpoint.SaveTensors(tensors, path);

        var (report, first, expected) = name switch
        {
            "resnet18" => Load(new ResNet18(), "conv1.weight", "conv1.weight"),
            "googlenet" => Load(new GoogLeNet(), "inception3a.branch2.conv_1.weight", "inception3a.branch2.1.conv.weight"),
            "inception_v3_aux" => Load(new InceptionV3(auxLogits: true), "AuxLogits.conv1.weight", "AuxLogits.conv1.conv.weight"),
            _ => Load(new MobileNetV2(), "stage3.stage3_2.depthwise.weight", "features.5.conv.1.0.weight"),
        };
        Assert.True(report.IsComplete);
        CheckpointAssert.Same(tensors[expected], first);

        (LoadReport, Tensor, string) Load<TModel>(TModel model, string key, string torchvisionKey) where TModel : nn.Module, ITorchVisionModel =>
            (model.LoadTorchVisionWeights(path), model.state_dict()[key], torchvisionKey);
    }
}
