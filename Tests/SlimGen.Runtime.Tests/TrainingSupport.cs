using System;
using System.IO;
using System.Linq;
using SlimGen.Data;
using SlimGen.Training;
using static SlimGen.Op;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>A small classifier with weight decay and dropout, so that regularization and the random state both matter.</summary>
[SlimModel(4)]
[FullyConnected(16, WeightDecay = 0.01, Scope = "hidden")]
[Dropout(0.25, Scope = "dropout")]
[FullyConnected(3, Activation = Act.None, Scope = "logits")]
public partial class TinyClassifier { }

internal static class TrainingSupport
{
    /// <summary>Three Gaussian blobs in 4-D, <paramref name="perClass"/> points each, the same for the same seed.</summary>
    public static InMemoryDataset Blobs(int perClass, long seed = 3)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var labels = arange(3, dtype: ScalarType.Int64).repeat_interleave(perClass);
        var centers = tensor(new[] { 2f, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 2 }).reshape(3, 4);
        var inputs = centers.index_select(0, labels) + randn(3 * perClass, 4, generator: generator) * 0.5f;
        return new InMemoryDataset(inputs.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>A <see cref="TinyClassifier"/> whose weights are drawn from <paramref name="seed"/>.</summary>
    public static TinyClassifier NewModel(long seed)
    {
        manual_seed(seed);
        return new TinyClassifier();
    }

    /// <summary>A trainer with Adam for <paramref name="model"/>; the optimizer lives as long as the model.</summary>
    public static Trainer NewTrainer(TinyClassifier model, TrainerOptions options, Func<Tensor, Tensor, Tensor>? loss = null) =>
        new(model, optim.Adam(model.parameters(), 0.01), loss ?? Losses.SparseSoftmaxCrossEntropy, model.RegularizationLoss, options);

    /// <summary>Whether the two models have exactly the same parameters and buffers.</summary>
    public static bool SameState(nn.Module a, nn.Module b) =>
        a.state_dict().Zip(b.state_dict()).All(pair => pair.First.Key == pair.Second.Key && Identical(pair.First.Value, pair.Second.Value));

    /// <summary>Whether the tensors have the same shape and exactly the same values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    /// <summary>The model's parameters flattened into one vector, detached, in the caller's dispose scope.</summary>
    public static Tensor Flat(nn.Module model) => cat(model.parameters().Select(p => p.detach().flatten()).ToArray());

    /// <summary>Reports on the training thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    public sealed class InlineProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }

    /// <summary>A temporary folder, deleted on dispose.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("slimgen-training-").FullName;

        public string Sub(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
