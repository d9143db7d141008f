using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SlimGen.Serve.Tests;

/// <summary>The batcher's queue, batches and shutdown, with a backend that records what it was given.</summary>
public class DynamicBatcherTests
{
    [Fact]
    public async Task Concurrent_requests_are_grouped_into_batches_of_at_most_the_maximum()
    {
        var backend = new RecordingBackend();
        var batcher = new DynamicBatcher(new ServeOptions { MaxBatchSize = 4, MaxWaitMilliseconds = 200 }, inputSize: 1);
        var requests = Enumerable.Range(0, 10).Select(i => batcher.EnqueueAsync([i], CancellationToken.None)).ToArray();

        var loop = Task.Factory.StartNew(() => batcher.Run(backend), TaskCreationOptions.LongRunning);
        var results = await Task.WhenAll(requests);
        batcher.Complete();
        await loop;

        Assert.Equal([4, 4, 2], backend.Batches.Select(batch => batch.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), results.Select(result => result.Logits[0]));
        Assert.Equal([4, 4, 4, 4, 4, 4, 4, 4, 2, 2], results.Select(result => result.BatchSize));
        Assert.Equal((3L, 10L), batcher.Served);
    }

    [Fact]
    public async Task A_full_queue_refuses_and_a_cancelled_request_leaves_it_at_once()
    {
        var backend = new RecordingBackend();
        var batcher = new DynamicBatcher(new ServeOptions { QueueCapacity = 2 }, inputSize: 1);
        using var leaving = new CancellationTokenSource();
        var left = batcher.EnqueueAsync([1], leaving.Token);
        var kept = batcher.EnqueueAsync([2], CancellationToken.None);

        await Assert.ThrowsAsync<QueueFullException>(() => batcher.EnqueueAsync([3], CancellationToken.None));
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        Assert.Equal(1, batcher.Waiting);
        var next = batcher.EnqueueAsync([4], CancellationToken.None);

        var loop = Task.Factory.StartNew(() => batcher.Run(backend), TaskCreationOptions.LongRunning);
        await Task.WhenAll(kept, next);
        batcher.Complete();
        await loop;

        Assert.Equal([2f, 4f], backend.Batches.SelectMany(batch => batch));
    }

    [Fact]
    public async Task After_Complete_queued_requests_are_still_served_and_new_ones_are_refused()
    {
        var backend = new RecordingBackend();
        var batcher = new DynamicBatcher(new ServeOptions(), inputSize: 1);
        var queued = batcher.EnqueueAsync([5], CancellationToken.None);

        batcher.Complete();
        await Assert.ThrowsAsync<ShuttingDownException>(() => batcher.EnqueueAsync([6], CancellationToken.None));
        batcher.Run(backend);

        Assert.Equal(5f, (await queued).Logits[0]);
    }

    [Fact]
    public async Task A_backend_failure_reaches_every_request_of_its_batch_and_the_loop_goes_on()
    {
        var backend = new RecordingBackend { FailOn = 13 };
        var batcher = new DynamicBatcher(new ServeOptions { MaxBatchSize = 2, MaxWaitMilliseconds = 100 }, inputSize: 1);
        var failing = new[] { batcher.EnqueueAsync([13], CancellationToken.None), batcher.EnqueueAsync([14], CancellationToken.None) };
        var loop = Task.Factory.StartNew(() => batcher.Run(backend), TaskCreationOptions.LongRunning);

        foreach (var request in failing)
            Assert.Equal("backend failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => request)).Message);
        Assert.Equal(15f, (await batcher.EnqueueAsync([15], CancellationToken.None)).Logits[0]);
        batcher.Complete();
        await loop;
    }

    /// <summary>Returns each example's first value as its only logit, and records every batch.</summary>
    private sealed class RecordingBackend : IInferenceBackend
    {
        public List<float[]> Batches { get; } = [];

        public float? FailOn { get; init; }

        public string Name => "recording";

        public float[][] Predict(float[] inputs, int count)
        {
            Batches.Add(inputs.Take(count).ToArray());
            if (inputs.Contains(FailOn ?? float.NaN))
                throw new InvalidOperationException("backend failed");
            return inputs.Take(count).Select(value => new[] { value }).ToArray();
        }

        public void Dispose()
        {
        }
    }
}
