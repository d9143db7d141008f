using System;
using TorchSharp;

namespace SlimGen.Runtime.Tests;

/// <summary>
/// Runs a test class's small models on one CPU thread, then restores the thread count: tensors this small gain
/// nothing from intra-op threads, and waking them costs milliseconds per operation when the cores are busy.
/// </summary>
public sealed class TrainingSingleThreaded : IDisposable
{
    private readonly int threads = torch.get_num_threads();

    public TrainingSingleThreaded() => torch.set_num_threads(1);

    public void Dispose() => torch.set_num_threads(threads);
}
