using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using SlimGen.Checkpoints;
using SlimGen.Data;
using SlimGen.Onnx;
using SlimGen.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace SlimGen.FashionMnistSample;

/// <summary>One run of the program: load the data, train with live progress, evaluate, and write the run's files.</summary>
internal static class TrainingSession
{
    private const int EvaluationBatchSize = 500;

    /// <summary>Runs the training described by <paramref name="settings"/>; returns the process exit code.</summary>
    public static int Run(RunSettings settings, CancellationToken cancellationToken)
    {
        string runDirectory = settings.ResolveOutputDirectory();
        try
        {
            SlimRuntime.Initialize();
            torch.set_num_threads(settings.Threads);
            return Train(settings, runDirectory, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or NativeLibraryException or CheckpointException
                                      or TrainingDivergedException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 1;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLineInterpolated($"Stopped. The checkpoint is in {runDirectory}; run again with --output \"{runDirectory}\" to continue.");
            return 130;
        }
    }

    private static int Train(RunSettings settings, string runDirectory, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLineInterpolated($"Loading Fashion-MNIST: {settings.Data}");
        var (train, test) = settings.Data.Load();
        using var trainData = train;
        using var testData = test;
        AnsiConsole.MarkupLineInterpolated($"{trainData.Count:N0} training and {testData.Count:N0} test images");
        if (settings.Data.Directory is null && FashionMnist.IsAvailable(FashionMnist.InstalledDirectory))
            AnsiConsole.MarkupLineInterpolated($"[grey]The full dataset is installed in {FashionMnist.InstalledDirectory}: add --data full to use it.[/]");
        Console.WriteLine();
        Console.WriteLine(settings.Summary);
        Console.WriteLine();

        manual_seed(settings.Seed);
        var created = settings.CreateModel();
        using var model = created.Model;
        using var optimizer = optim.Adam(model.parameters(), settings.LearningRate);
        long totalSteps = settings.Epochs * trainData.BatchCount(settings.BatchSize, dropPartial: true);
        using var log = new StreamWriter(Path.Combine(Directory.CreateDirectory(runDirectory).FullName, "train.log"), append: true) { AutoFlush = true };
        var history = new EpochHistory(Path.Combine(runDirectory, "epochs.csv"));
        EvaluationResult? evaluation = null;
        var options = new TrainerOptions
        {
            BatchSize = settings.BatchSize,
            LearningRate = LearningRateSchedule.CosineDecay(settings.LearningRate, totalSteps, alpha: 0.01),
            Seed = settings.Seed,
            Log = log,
            LogEveryNSteps = 100,
            CheckpointDirectory = Path.Combine(runDirectory, "checkpoints"),
            CheckpointEveryNSteps = 1000,
            TensorBoardDirectory = Path.Combine(runDirectory, "tensorboard"),
            EvaluateAfterEachEpoch = () =>
            {
                evaluation = Evaluator.Evaluate(model, testData, Losses.SparseSoftmaxCrossEntropy, EvaluationBatchSize);
                return evaluation.ToScalars();
            },
        };
        var trainer = new Trainer(model, optimizer, Losses.SparseSoftmaxCrossEntropy, created.RegularizationLoss, options);

        AnsiConsole.MarkupLineInterpolated($"Training {settings.Model} for {settings.Epochs} epochs of {totalSteps / settings.Epochs} steps (batch {settings.BatchSize}, Adam, {options.LearningRate}); run folder {runDirectory}");
        var result = TrainWithProgressBar(trainer, trainData, settings.Epochs, totalSteps, history, cancellationToken);

        evaluation ??= Evaluator.Evaluate(model, testData, Losses.SparseSoftmaxCrossEntropy, EvaluationBatchSize);
        PrintEvaluation(evaluation);
        string modelPath = Path.Combine(runDirectory, "model.safetensors");
        Checkpoint.Save(model, modelPath);
        string onnxPath = Path.Combine(runDirectory, "model.onnx");
        model.ExportOnnx(onnxPath);
        string chartPath = Path.Combine(runDirectory, "curves.png");
        CurvesChart.Save(history.Read(), chartPath, $"{settings.Model} on Fashion-MNIST ({settings.Data.Name})");
        AnsiConsole.MarkupLineInterpolated($"Test accuracy {evaluation.Accuracy:0.0000} after {result.Step:N0} steps; this run trained {result.Epochs.Count} epochs in {result.Elapsed.TotalMinutes:0.0} min.");
        AnsiConsole.MarkupLineInterpolated($"Model: {modelPath}");
        AnsiConsole.MarkupLineInterpolated($"Exported: {onnxPath} (dotnet run --project Samples/OnnxClassify -- \"{onnxPath}\")");
        AnsiConsole.MarkupLineInterpolated($"Curves: {chartPath}");
        AnsiConsole.MarkupLineInterpolated($"TensorBoard: tensorboard --logdir \"{options.TensorBoardDirectory}\"");
        return 0;
    }

    /// <summary>Trains under a live progress bar (plain progress lines when the output is redirected), printing each epoch.</summary>
    private static TrainingResult TrainWithProgressBar(
        Trainer trainer, InMemoryDataset data, int epochs, long totalSteps, EpochHistory history, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask("training", maxValue: totalSteps);
                var reporter = new InlineProgress<TrainingProgress>(progress =>
                {
                    bar.Value = progress.Step;
                    bar.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {progress.Epoch}/{progress.Epochs}, loss {progress.Loss:0.000}");
                    if (progress.CompletedEpoch is { } epoch)
                        ReportEpoch(history, epoch, epochs);
                });
                return trainer.Train(data, epochs, reporter, cancellationToken);
            });

    private static void ReportEpoch(EpochHistory history, EpochSummary epoch, int epochs)
    {
        var row = new EpochRow(
            epoch.Epoch, epoch.Step, epoch.MeanLoss, epoch.Evaluation["loss"], epoch.Evaluation["accuracy"], epoch.Duration.TotalSeconds,
            Environment.WorkingSet / (1024.0 * 1024.0));
        history.Append(row);
        AnsiConsole.MarkupLineInterpolated(
            $"epoch {row.Epoch,2}/{epochs}  loss {row.TrainLoss:0.0000}  test loss {row.TestLoss:0.0000}  test accuracy [bold]{row.TestAccuracy:0.0000}[/]  {row.Seconds:0} s  {row.ResidentMegabytes:0} MB");
    }

    private static void PrintEvaluation(EvaluationResult evaluation)
    {
        // Narrow columns and a light border keep the table within 80 columns, the width of redirected output.
        var table = new Table()
            .Border(TableBorder.Simple)
            .Title($"Test set: accuracy {evaluation.Accuracy:0.0000}, top-{evaluation.TopK} {evaluation.TopKAccuracy:0.0000}; rows actual, columns predicted")
            .AddColumn(new TableColumn("class").NoWrap());
        var classes = Enumerable.Range(0, evaluation.ConfusionMatrix.ClassCount).ToArray();
        foreach (int predicted in classes)
            table.AddColumn(new TableColumn(predicted.ToString(CultureInfo.InvariantCulture)).RightAligned().PadLeft(1).PadRight(0));
        table.AddColumn(new TableColumn("accuracy").RightAligned());
        foreach (int actual in classes)
        {
            var cells = classes.Select(predicted => evaluation.ConfusionMatrix[actual, predicted].ToString(CultureInfo.InvariantCulture))
                .Prepend(Markup.Escape($"{actual} {FashionMnist.ClassNames[actual]}"))
                .Append(evaluation.PerClassAccuracy[actual].ToString("0.000", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Calls the handler on the reporting thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
