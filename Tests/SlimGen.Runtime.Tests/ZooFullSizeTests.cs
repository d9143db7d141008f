using System;
using System.IO;
using System.Linq;
using SlimGen.Checkpoints;
using SlimGen.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// The full-size zoo models against torchvision, with random weights and batch-norm statistics: eval outputs in float32,
/// and one training step's output, input gradient, first and last weights' gradients and first running statistics. The
/// training step runs in float64, as the references were computed: through twenty or more batch norms in training mode
/// at batch 2, float32 gradients at the input are only good to a few percent (PyTorch's own float32 step is 4.5e-2 off
/// for ResNet-18's input gradient), so float32 would test the rounding, not the layers. The files
/// (about 700 MB) are not committed; write them with
/// <c>/usr/bin/python3 Tests/Fixtures/export_zoo_fixtures.py --full DIR</c> (about 70 s, needs python3-torchvision), then run
/// <c>SLIMGEN_ZOO_FIXTURES=DIR dotnet test Tests/SlimGen.Runtime.Tests --filter ZooFullSize</c>.
/// </summary>
public class ZooFullSizeTests
{
    [ZooFixturesTheory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("resnext50_32x4d")]
    [InlineData("googlenet")]
    [InlineData("inception_v3")]
    [InlineData("inception_v3_aux")]
    [InlineData("mobilenet_v2")]
    [InlineData("alexnet")]
    public void A_zoo_model_with_torchvisions_weights_matches_torchvision_in_eval_mode_and_in_a_training_step(string name)
    {
        using var scope = NewDisposeScope();
        // The fixtures' training step runs without dropout, so that it is deterministic.
        var (model, map) = Create(name);
        using var _ = model;
        var directory = Environment.GetEnvironmentVariable(ZooFixturesTheoryAttribute.Variable)!;
        var report = Checkpoint.Load(model, Path.Combine(directory, name + ".safetensors"), new LoadOptions { NameMap = map });
        Assert.True(report.IsComplete);
        var io = Checkpoint.LoadTensors(Path.Combine(directory, name + ".io.safetensors"));

        model.eval();
        using (no_grad())
        {
            ZooTorchVisionTests.AssertClose(io["eval_output"], model.call(io["input"]), "eval output");
        }

        TorchSharp.ModuleExtensionMethods.to(model, ScalarType.Float64);
        model.train();
        var input = io["input"].to(ScalarType.Float64).requires_grad_();
        Tensor output;
        if (model is InceptionV3 { } inception && io.ContainsKey("aux_output"))
        {
            // The auxiliary head's logits are an end point, and its loss joins the main one, as in the fixture.
            var (logits, endpoints) = inception.ForwardWithEndpoints(input);
            output = logits;
            var aux = endpoints["AuxLogits"];
            ((output * io["loss_weights"].to(ScalarType.Float64)).sum() + (aux * io["aux_loss_weights"].to(ScalarType.Float64)).sum()).backward();
            ZooTorchVisionTests.AssertClose(io["aux_output"], aux.detach(), "auxiliary output");
        }
        else
        {
            output = model.call(input);
            (output * io["loss_weights"].to(ScalarType.Float64)).sum().backward();
        }
        ZooTorchVisionTests.AssertClose(io["train_output"], output.detach(), "train output");
        ZooTorchVisionTests.AssertClose(io["grad_input"], input.grad!, "input gradient");
        ZooTorchVisionTests.AssertGradientsAndStatistics(io, model, map.Apply);
    }

    private static (nn.Module<Tensor, Tensor> Model, NameMap Map) Create(string name) => name switch
    {
        "resnet18" => (new ResNet18(), ResNet18.TorchVisionNames),
        "resnet50" => (new ResNet50(), ResNet50.TorchVisionNames),
        "resnext50_32x4d" => (new ResNeXt50(), ResNeXt50.TorchVisionNames),
        "googlenet" => (new GoogLeNet(dropoutRate: 0), GoogLeNet.TorchVisionNames),
        "inception_v3" => (new InceptionV3(dropoutRate: 0), InceptionV3.TorchVisionNames),
        "inception_v3_aux" => (new InceptionV3(dropoutRate: 0, auxLogits: true), InceptionV3.TorchVisionNames),
        "mobilenet_v2" => (new MobileNetV2(dropoutRate: 0), MobileNetV2.TorchVisionNames),
        "alexnet" => (new AlexNet(dropoutRate: 0), AlexNet.TorchVisionNames),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

}

/// <summary>Runs only where <c>SLIMGEN_ZOO_FIXTURES</c> names a directory written by <c>export_zoo_fixtures.py --full</c>.</summary>
public sealed class ZooFixturesTheoryAttribute : TheoryAttribute
{
    public const string Variable = "SLIMGEN_ZOO_FIXTURES";

    public ZooFixturesTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } directory || !Directory.Exists(directory))
            Skip = $"Set {Variable} to a directory written by Tests/Fixtures/export_zoo_fixtures.py --full.";
    }
}
