using System.Collections.Generic;
using System.Linq;
using SlimGen.Checkpoints.Formats;
using static TorchSharp.torch;

namespace SlimGen.Checkpoints;

/// <summary>
/// Matches a checkpoint's index to a model's state_dict and copies the tensors that fit. Everything that can fail is
/// done before the first copy: matching by name and shape, then reading every tensor that will be loaded. So a load
/// that fails, strict or not, leaves the model exactly as it was.
/// </summary>
internal static class StateDictLoader
{
    public static LoadReport Load(nn.Module model, ICheckpointReader checkpoint, LoadOptions options, string path)
    {
        var state = model.state_dict();
        var (report, copies) = Match(model.GetName(), state, checkpoint.Entries, options, path);
        if (options.Strict && !report.IsComplete)
            throw new CheckpointException(path, report.WithNothingLoaded());

        using var scope = NewDisposeScope();
        var values = copies.Select(copy => (Target: state[copy.ModelKey], Value: checkpoint.Read(copy.Entry))).ToList();
        using (no_grad())
        {
            foreach (var (target, value) in values)
                target.copy_(value);
        }
        return report;
    }

    private static (LoadReport Report, List<(string ModelKey, CheckpointEntry Entry)> Copies) Match(
        string modelName, Dictionary<string, Tensor> state, IReadOnlyList<CheckpointEntry> entries, LoadOptions options, string path)
    {
        var excludedScopes = new ScopeSet(options.ExcludeScopes);
        var byModelKey = MapNames(entries, options.NameMap, path);

        var copies = new List<(string ModelKey, CheckpointEntry Entry)>();
        var loaded = new List<string>();
        var excluded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        foreach (var (key, target) in state)
        {
            if (excludedScopes.Contains(key))
            {
                excluded.Add(key);
            }
            else if (!byModelKey.TryGetValue(key, out var entry))
            {
                missing.Add(key);
            }
            else if (!entry.Shape.SequenceEqual(target.shape))
            {
                mismatched.Add(new ShapeMismatch(key, entry.Name, target.shape, entry.Shape));
            }
            else
            {
                copies.Add((key, entry));
                loaded.Add(key);
            }
        }
        var unexpected = byModelKey
            .Where(pair => !state.ContainsKey(pair.Key) && !excludedScopes.Contains(pair.Key))
            .Select(pair => new UnexpectedKey(pair.Value.Name, pair.Key))
            .ToList();
        var unmatchedScopes = excludedScopes.Unmatched(state.Keys.Concat(byModelKey.Keys));
        return (new LoadReport(modelName, loaded, excluded, missing, unexpected, mismatched, unmatchedScopes), copies);
    }

    /// <summary>The entries by the model key the name map gives them, in the file's order.</summary>
    private static Dictionary<string, CheckpointEntry> MapNames(IReadOnlyList<CheckpointEntry> entries, NameMap? nameMap, string path)
    {
        var byModelKey = new Dictionary<string, CheckpointEntry>();
        foreach (var entry in entries)
        {
            var key = nameMap?.Apply(entry.Name) ?? entry.Name;
            if (!byModelKey.TryAdd(key, entry))
                throw new CheckpointException(path, $"the name map gives both '{byModelKey[key].Name}' and '{entry.Name}' the model key '{key}'.");
        }
        return byModelKey;
    }
}
