using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SlimGen.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SlimGen.Training;

/// <summary>
/// The trainer's checkpoints in one folder. Step s is two safetensors files: <c>ckpt-0000000s.safetensors</c>, the
/// model alone (loadable with <see cref="Checkpoint.Load"/> like any model checkpoint), and
/// <c>ckpt-0000000s.trainer.safetensors</c>, the rest of the training state: the step, the optimizer's state
/// (TorchSharp's own serialization of it, which covers every optimizer, stored as bytes) and the global random
/// state. The trainer file is written first and the model file last, each atomically, so a step whose model file
/// exists is complete.
/// </summary>
internal sealed partial class TrainingCheckpoints
{
    private const string StepKey = "global_step";
    private const string OptimizerKey = "optimizer";
    private const string RandomStateKey = "rng_state";

    private readonly string directory;
    private readonly int keep;

    // Reused by every save, so that after the first one serializing the optimizer (twice the model's size for
    // Adam) leaves no garbage on the managed heap, whose large-object part the GC seldom compacts.
    private readonly MemoryStream optimizerState = new();

    public TrainingCheckpoints(string directory, int keep)
    {
        this.directory = directory;
        this.keep = keep;
    }

    /// <summary>The model file of step <paramref name="step"/>.</summary>
    public string ModelPath(long step) => Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"ckpt-{step:D8}.safetensors"));

    /// <summary>The newest complete checkpoint's step; null when there is none.</summary>
    public long? LatestStep() => CompleteSteps().Select(step => (long?)step).LastOrDefault();

    /// <summary>Writes step <paramref name="step"/> and deletes the checkpoints beyond the newest <c>keep</c>.</summary>
    /// <returns>The model file.</returns>
    public string Save(long step, nn.Module model, OptimizerHelper optimizer)
    {
        Directory.CreateDirectory(directory);
        using (var scope = NewDisposeScope())
        {
            var state = new Dictionary<string, Tensor>
            {
                [StepKey] = tensor(step),
                [OptimizerKey] = Serialize(optimizer),
                [RandomStateKey] = get_rng_state(),
            };
            Checkpoint.SaveTensors(state, TrainerPath(step));
        }
        string modelPath = ModelPath(step);
        Checkpoint.Save(model, modelPath);
        foreach (long old in CompleteSteps().SkipLast(keep))
        {
            File.Delete(ModelPath(old));
            File.Delete(TrainerPath(old));
        }
        return modelPath;
    }

    /// <summary>Loads step <paramref name="step"/> into the model, the optimizer and the global random generator.</summary>
    /// <exception cref="CheckpointException">The checkpoint does not fit the model, or its trainer file is damaged.</exception>
    /// <exception cref="InvalidDataException">The optimizer state is of another optimizer type.</exception>
    public void Restore(long step, nn.Module model, OptimizerHelper optimizer)
    {
        string trainerPath = TrainerPath(step);
        var state = Checkpoint.LoadTensors(trainerPath);
        try
        {
            if (!state.TryGetValue(StepKey, out var savedStep) || !state.TryGetValue(OptimizerKey, out var optimizerBytes)
                || !state.TryGetValue(RandomStateKey, out var randomState) || savedStep.item<long>() != step)
            {
                throw new CheckpointException(
                    trainerPath, $"it is not the trainer state of step {step}, which holds {StepKey} = {step}, {OptimizerKey} and {RandomStateKey}.");
            }
            Checkpoint.Load(model, ModelPath(step));
            using var reader = new BinaryReader(new MemoryStream(optimizerBytes.data<byte>().ToArray()));
            optimizer.load_state_dict(reader);
            set_rng_state(randomState);
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
    }

    /// <summary>TorchSharp's serialization of the optimizer's state, as a <c>uint8</c> tensor over the reused buffer (not a copy).</summary>
    private Tensor Serialize(OptimizerHelper optimizer)
    {
        optimizerState.SetLength(0);
        using (var writer = new BinaryWriter(optimizerState, Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return frombuffer(optimizerState.GetBuffer(), ScalarType.Byte, count: optimizerState.Length);
    }

    private string TrainerPath(long step) => Path.ChangeExtension(ModelPath(step), ".trainer.safetensors");

    /// <summary>The steps with a model file (written last, so complete), oldest first.</summary>
    private IEnumerable<long> CompleteSteps() =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "ckpt-*.safetensors")
                .Select(path => ModelFileName().Match(Path.GetFileName(path)))
                .Where(match => match.Success)
                .Select(match => long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
                .Order()
                .ToArray()
            : [];

    [GeneratedRegex(@"^ckpt-(\d+)\.safetensors$")]
    private static partial Regex ModelFileName();
}
