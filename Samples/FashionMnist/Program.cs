using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SlimGen.FashionMnistSample;

// Trains the TF layers tutorial CNN (or its batch-norm variant) on Fashion-MNIST. With no arguments it uses the subset
// embedded in the program and finishes in a minute or two; `--data full` uses the whole dataset.
var model = new Option<ModelKind>("--model")
{
    Description = "Tutorial: the TF layers tutorial CNN; BatchNorm: the same with batch normalization.",
    DefaultValueFactory = _ => ModelKind.Tutorial,
};
var data = new Option<string>("--data")
{
    Description = $"subset: the {DataSource.SubsetDescription} embedded in the program; full: the whole dataset in " +
                  $"{SlimGen.Data.FashionMnist.InstalledDirectory} (apt-get install dataset-fashion-mnist); or a folder with the four IDX files.",
    DefaultValueFactory = _ => "subset",
};
var epochs = new Option<int>("--epochs") { Description = "Epochs to train.", DefaultValueFactory = _ => 10 };
var batchSize = new Option<int>("--batch-size") { Description = "Examples per step.", DefaultValueFactory = _ => 64 };
var learningRate = new Option<double>("--learning-rate")
{
    Description = "Adam's initial learning rate; it follows a cosine down to 1% of it by the last step.",
    DefaultValueFactory = _ => 1e-3,
};
var seed = new Option<long>("--seed") { Description = "Seeds the weights, the dropout masks and the shuffling.", DefaultValueFactory = _ => 0 };
var threads = new Option<int>("--threads")
{
    Description = "CPU threads for TorchSharp; 1 is faster on a machine whose cores are busy with other work.",
    DefaultValueFactory = _ => Environment.ProcessorCount,
};
var output = new Option<DirectoryInfo?>("--output")
{
    Description = "The run's folder: checkpoints, TensorBoard logs, train.log, epochs.csv, curves.png, model.safetensors, model.onnx. " +
                  "A folder with checkpoints resumes from the newest. Default: a new folder under runs/fashion-mnist.",
};

foreach (var option in new[] { epochs, batchSize, threads })
    option.Validators.Add(result => { if (result.GetValueOrDefault<int>() < 1) result.AddError($"{result.Option.Name} must be at least 1."); });
learningRate.Validators.Add(result => { if (!(result.GetValueOrDefault<double>() > 0)) result.AddError("--learning-rate must be positive."); });

var command = new RootCommand("Trains a SlimGen CNN on Fashion-MNIST.") { model, data, epochs, batchSize, learningRate, seed, threads, output };
command.SetAction((parsed, cancellationToken) =>
{
    var settings = new RunSettings(
        parsed.GetValue(model), DataSource.Parse(parsed.GetValue(data)!), parsed.GetValue(epochs), parsed.GetValue(batchSize),
        parsed.GetValue(learningRate), parsed.GetValue(seed), parsed.GetValue(threads), parsed.GetValue(output)?.FullName);
    // On a worker thread, so that System.CommandLine holds a running task to wait for when Ctrl+C cancels the token:
    // the trainer then finishes its step and writes a checkpoint, which takes a moment.
    return Task.Run(() => TrainingSession.Run(settings, cancellationToken), CancellationToken.None);
});
return await command.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
