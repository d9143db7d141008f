using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace SlimGen.Serve;

/// <summary>The queue is full: the request gets 503 with Retry-After.</summary>
public sealed class QueueFullException(int capacity) : Exception($"All {capacity} places in the inference queue are taken; retry shortly.");

/// <summary>The service is shutting down and takes no new work.</summary>
public sealed class ShuttingDownException() : Exception("The service is shutting down and takes no new requests.");

/// <summary>What one request got back.</summary>
/// <param name="Logits">The model's output, one per class.</param>
/// <param name="BatchSize">How many requests shared the forward pass.</param>
/// <param name="InferenceMilliseconds">That forward pass's duration.</param>
public sealed record BatchResult(float[] Logits, int BatchSize, double InferenceMilliseconds);

/// <summary>
/// Dynamic batching, as Triton and TorchServe do it: concurrent requests wait in a bounded queue, and one inference thread
/// takes up to <see cref="ServeOptions.MaxBatchSize"/> of them, waiting at most <see cref="ServeOptions.MaxWait"/> after
/// the first for more, and runs them through the backend as one batch. The thread that calls <see cref="Run"/> owns the
/// backend. A request whose caller gives up (timeout, closed connection) leaves the queue at once: its place is free
/// for the next request, and the inference thread skips it.
/// </summary>
public sealed class DynamicBatcher
{
    private readonly Channel<Pending> queue;
    private readonly ServeOptions options;
    private readonly int inputSize;
    private long batches, examples;
    private int waiting;
    private volatile bool completing;

    /// <summary>Creates the queue; nothing runs until <see cref="Run"/>.</summary>
    public DynamicBatcher(ServeOptions options, int inputSize)
    {
        this.options = options;
        this.inputSize = inputSize;
        // Unbounded: the capacity counts live requests only (see waiting), which a channel's own bound cannot.
        queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Requests waiting now, cancelled ones not counted.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Forward passes so far, and the requests they served.</summary>
    public (long Batches, long Examples) Served => (Interlocked.Read(ref batches), Interlocked.Read(ref examples));

    /// <summary>Queues one example and waits for its turn.</summary>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    /// <exception cref="ShuttingDownException">The service is stopping.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<BatchResult> EnqueueAsync(float[] input, CancellationToken cancellationToken)
    {
        if (input.Length != inputSize)
            throw new ArgumentException($"Expected {inputSize} values, got {input.Length}.", nameof(input));
        if (completing)
            throw new ShuttingDownException();
        if (Interlocked.Increment(ref waiting) > options.QueueCapacity)
        {
            Interlocked.Decrement(ref waiting);
            throw new QueueFullException(options.QueueCapacity);
        }
        var pending = new Pending(input);
        if (!queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref waiting);
            throw new ShuttingDownException();
        }
        using var registration = cancellationToken.Register(() =>
        {
            if (pending.TryLeave())
            {
                Interlocked.Decrement(ref waiting);
                pending.Result.TrySetCanceled(cancellationToken);
            }
        });
        return await pending.Result.Task.ConfigureAwait(false);
    }

    /// <summary>Takes no new requests; <see cref="Run"/> finishes the queued ones and returns.</summary>
    public void Complete()
    {
        completing = true;
        queue.Writer.TryComplete();
    }

    /// <summary>
    /// The inference loop, on the calling thread, until <see cref="Complete"/> was called and the queue is empty. Call it
    /// from the thread that should own the model: on Linux the process's main thread, whose allocator arena keeps freed
    /// activations for reuse (glibc gives other threads arenas that map and unmap every block above 64 MB).
    /// </summary>
    public void Run(IInferenceBackend backend)
    {
        var reader = queue.Reader;
        var batch = new List<Pending>(options.MaxBatchSize);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            Collect(reader, batch);
            if (batch.Count > 0)
                Execute(backend, batch);
            batch.Clear();
        }
    }

    // The first live request, then more until the batch is full or the wait is over.
    private void Collect(ChannelReader<Pending> reader, List<Pending> batch)
    {
        var deadline = Stopwatch.StartNew();
        while (batch.Count < options.MaxBatchSize)
        {
            if (reader.TryRead(out var pending))
            {
                if (pending.TryTake())
                {
                    Interlocked.Decrement(ref waiting);
                    batch.Add(pending);
                }
                continue;
            }
            var left = options.MaxWait - deadline.Elapsed;
            if (batch.Count == 0 || left <= TimeSpan.Zero)
                return;
            using var wait = new CancellationTokenSource(left);
            try
            {
                if (!reader.WaitToReadAsync(wait.Token).AsTask().GetAwaiter().GetResult())
                    return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Execute(IInferenceBackend backend, List<Pending> batch)
    {
        var inputs = new float[batch.Count * inputSize];
        for (int i = 0; i < batch.Count; i++)
            batch[i].Input.CopyTo(inputs, i * inputSize);
        var clock = Stopwatch.StartNew();
        try
        {
            var outputs = backend.Predict(inputs, batch.Count);
            double milliseconds = clock.Elapsed.TotalMilliseconds;
            for (int i = 0; i < batch.Count; i++)
                batch[i].Result.TrySetResult(new BatchResult(outputs[i], batch.Count, milliseconds));
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref examples, batch.Count);
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
                pending.Result.TrySetException(e);
        }
    }

    private sealed record Pending(float[] Input)
    {
        private const int Waiting = 0, Taken = 1, Left = 2;
        private int state;

        public TaskCompletionSource<BatchResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The inference thread takes it, unless its caller left first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref state, Taken, Waiting) == Waiting;

        /// <summary>The caller leaves, unless the inference thread took it first (then the answer comes anyway).</summary>
        public bool TryLeave() => Interlocked.CompareExchange(ref state, Left, Waiting) == Waiting;
    }
}
