using SlimGen.Data;
using SlimGen.Training;
using TorchSharp;
using Xunit;

namespace MyNet.Tests;

public class ClassifierTests
{
    // Loads libtorch before the first TorchSharp call; if it cannot, the exception says why and what to change.
    public ClassifierTests() => SlimGen.SlimRuntime.Initialize();

    [Fact]
    public void Forward_pass_gives_one_logit_per_class()
    {
        using var model = new Classifier();
        using var images = torch.rand(4, 1, 28, 28);

        using var logits = model.call(images);

        Assert.Equal(new long[] { 4, 10 }, logits.shape);
    }

    [Fact]
    public void Summary_is_known_at_compile_time()
    {
        // 832 + 51,264 + 3,136 * 256 + 256 + 2,570 parameters.
        Assert.Equal(857_738, Classifier.Summary.TotalParameters);
    }

    [Fact]
    public void Training_steps_lower_the_loss_on_a_batch()
    {
        torch.manual_seed(0);
        using var model = new Classifier();
        using var train = TrainingData.Load(DatasetSplit.Train);
        using var batch = new InMemoryDataset(train.Inputs.narrow(0, 0, 32), train.Labels.narrow(0, 0, 32));
        using var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
        var trainer = new Trainer(model, optimizer, Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss,
            new TrainerOptions { BatchSize = 32 });

        double before = Evaluator.Evaluate(model, batch, Losses.SparseSoftmaxCrossEntropy).Loss!.Value;
        trainer.Train(batch, epochs: 5);
        double after = Evaluator.Evaluate(model, batch, Losses.SparseSoftmaxCrossEntropy).Loss!.Value;

        Assert.Equal(5, trainer.GlobalStep);
        Assert.True(after < before, $"The loss went from {before} to {after}.");
    }
}
