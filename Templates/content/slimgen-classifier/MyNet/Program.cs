using MyNet;
using SlimGen;
using SlimGen.Checkpoints;
using SlimGen.Data;
using SlimGen.Training;
using TorchSharp;

// dotnet run                            10 epochs on the embedded Fashion-MNIST subset (about a minute on two cores)
// dotnet run -- --data <folder>         the four IDX files in <folder>, e.g. the whole dataset
// dotnet run -- --epochs 30             more epochs
// dotnet run -- --steps 1               one training step only: checks that everything works
const int BatchSize = 64;
string? dataDirectory = null;
int epochs = 10;
int? steps = null;
for (int i = 0; i < args.Length; i++)
{
    string option = args[i];
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{option} needs a value.");
    switch (option)
    {
        case "--data": dataDirectory = Value(); break;
        case "--epochs": epochs = PositiveNumber(option, Value()); break;
        case "--steps": steps = PositiveNumber(option, Value()); break;
        default:
            Console.Error.WriteLine($"Unknown option {option}. Options: --data <folder>, --epochs <n>, --steps <n>.");
            return 2;
    }
}

Console.WriteLine(Classifier.Summary);   // computed at compile time
// Loads libtorch before the first TorchSharp call; if it cannot, the exception says why and what to change.
SlimRuntime.Initialize();
torch.manual_seed(0);
using var model = new Classifier();
using var train = TrainingData.Load(DatasetSplit.Train, dataDirectory);
using var test = TrainingData.Load(DatasetSplit.Test, dataDirectory);

// A forward pass: a batch of images [N, 1, 28, 28] gives logits [N, 10].
using (torch.no_grad())
{
    var (images, _) = test.Batch(0, BatchSize);
    using var logits = model.call(images);
    Console.WriteLine($"Forward pass: [{string.Join(", ", images.shape)}] -> [{string.Join(", ", logits.shape)}]");
}

using var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
var trainer = new Trainer(model, optimizer, Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss,
    new TrainerOptions { BatchSize = BatchSize, LogEveryNSteps = steps ?? 25, Log = Console.Out });
if (steps is { } count)
{
    // The first `count` batches, as one epoch.
    long examples = (long)count * BatchSize;
    if (examples > train.Count)
        throw new ArgumentException($"--steps {count} needs {examples} training images; the data has {train.Count}.");
    using var first = new InMemoryDataset(train.Inputs.narrow(0, 0, examples), train.Labels.narrow(0, 0, examples));
    trainer.Train(first, epochs: 1);
}
else
{
    trainer.Train(train, epochs);
}

var result = Evaluator.Evaluate(model, test, Losses.SparseSoftmaxCrossEntropy);
string trained = trainer.GlobalStep == 1 ? "1 training step" : $"{trainer.GlobalStep} training steps";
Console.WriteLine($"Test accuracy after {trained}: {result.Accuracy:P1} on {result.Count} images");
Checkpoint.Save(model, "MyNet.safetensors");
Console.WriteLine("Saved the weights to MyNet.safetensors");
return 0;

static int PositiveNumber(string option, string text) =>
    int.TryParse(text, out int value) && value > 0 ? value : throw new ArgumentException($"{option} needs a positive whole number, not '{text}'.");
