using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SlimGen.Checkpoints;

/// <summary>A checkpoint tensor for which the model has no key.</summary>
/// <param name="CheckpointKey">The key in the file.</param>
/// <param name="ModelKey">The key after the name map; the same as <paramref name="CheckpointKey"/> without one.</param>
public sealed record UnexpectedKey(string CheckpointKey, string ModelKey)
{
    /// <summary>The key, with the name it was mapped to when that differs.</summary>
    public override string ToString() => CheckpointKey == ModelKey ? CheckpointKey : $"{CheckpointKey} (mapped to {ModelKey})";
}

/// <summary>A tensor whose shape in the checkpoint differs from the model's.</summary>
/// <param name="ModelKey">The model's key.</param>
/// <param name="CheckpointKey">The key in the file.</param>
/// <param name="ModelShape">The shape in the model.</param>
/// <param name="CheckpointShape">The shape in the checkpoint.</param>
public sealed record ShapeMismatch(string ModelKey, string CheckpointKey, IReadOnlyList<long> ModelShape, IReadOnlyList<long> CheckpointShape)
{
    /// <summary>The key and both shapes.</summary>
    public override string ToString() =>
        (CheckpointKey == ModelKey ? ModelKey : $"{ModelKey} (from {CheckpointKey})") +
        $": model {ShapeGuard.Format(ModelShape)}, checkpoint {ShapeGuard.Format(CheckpointShape)}";
}

/// <summary>
/// How a checkpoint's tensors matched a model's state_dict: what was loaded, what was left alone on purpose, and the
/// problems (missing, unexpected and mis-shaped keys, excluded scopes that match nothing). A strict load throws a
/// <see cref="CheckpointException"/> carrying this report when there is any problem; a non-strict load returns it.
/// </summary>
public sealed class LoadReport
{
    internal LoadReport(
        string modelName, IReadOnlyList<string> loaded, IReadOnlyList<string> excluded, IReadOnlyList<string> missing,
        IReadOnlyList<UnexpectedKey> unexpected, IReadOnlyList<ShapeMismatch> mismatched, IReadOnlyList<string> unmatchedExcludeScopes)
    {
        ModelName = modelName;
        Loaded = loaded;
        Excluded = excluded;
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
        UnmatchedExcludeScopes = unmatchedExcludeScopes;
    }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The model keys that received the checkpoint's values (none when a strict load fails).</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>The model keys under <see cref="LoadOptions.ExcludeScopes"/>, left as they were.</summary>
    public IReadOnlyList<string> Excluded { get; }

    /// <summary>The model keys the checkpoint has no tensor for.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>The checkpoint tensors the model has no key for.</summary>
    public IReadOnlyList<UnexpectedKey> Unexpected { get; }

    /// <summary>The keys present on both sides with different shapes.</summary>
    public IReadOnlyList<ShapeMismatch> Mismatched { get; }

    /// <summary>The excluded scopes that match no key of the model or the checkpoint, which usually means a typo.</summary>
    public IReadOnlyList<string> UnmatchedExcludeScopes { get; }

    /// <summary>The number of problems: missing, unexpected and mis-shaped keys, and unmatched excluded scopes.</summary>
    public int ProblemCount => Missing.Count + Unexpected.Count + Mismatched.Count + UnmatchedExcludeScopes.Count;

    /// <summary>True when every key matched: nothing missing, unexpected or mis-shaped.</summary>
    public bool IsComplete => ProblemCount == 0;

    /// <summary>Counts, then every problem, one per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"loaded {Loaded.Count} tensors into {ModelName}");
        if (Excluded.Count > 0)
            text.Append($", left {Excluded.Count} in excluded scopes as they were");
        text.Append(IsComplete ? "; every key matched." : $"; {ProblemCount} problem(s):");
        return AppendProblems(text).ToString();
    }

    /// <summary>The report of a strict load that failed: the same problems, and nothing loaded.</summary>
    internal LoadReport WithNothingLoaded() => new(ModelName, [], Excluded, Missing, Unexpected, Mismatched, UnmatchedExcludeScopes);

    /// <summary>The message of a strict load that failed.</summary>
    internal string DescribeFailure() =>
        AppendProblems(new StringBuilder($"does not fit {ModelName}; nothing was loaded. {ProblemCount} problem(s):"))
            .AppendLine()
            .Append("Fix the model or the name map, or load with LoadOptions { Strict = false } to take what fits, ")
            .Append("or with ExcludeScopes to leave scopes as they are.")
            .ToString();

    private StringBuilder AppendProblems(StringBuilder text)
    {
        AppendList(text, "missing from the checkpoint", Missing);
        AppendList(text, "not in the model", Unexpected);
        AppendList(text, "wrong shape", Mismatched);
        AppendList(text, "excluded scopes that match no key", UnmatchedExcludeScopes);
        return text;
    }

    private static void AppendList<T>(StringBuilder text, string heading, IReadOnlyList<T> items)
    {
        if (items.Count == 0)
            return;
        text.AppendLine().Append($"  {heading} ({items.Count}):");
        foreach (var item in items)
            text.AppendLine().Append("    ").Append(item);
    }
}
