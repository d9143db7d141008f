using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace SlimGen.Generator.Model;

/// <summary>The blocks of a compilation by fully qualified name; compares by value, for incremental caching.</summary>
internal sealed class BlockTable : IReadOnlyDictionary<string, BlockOutcome>, System.IEquatable<BlockTable>
{
    private readonly EquatableArray<BlockOutcome> _outcomes;
    private readonly Dictionary<string, BlockOutcome> _byName;

    public BlockTable(IEnumerable<BlockOutcome> outcomes)
    {
        _outcomes = outcomes.OrderBy(o => o.TypeName, System.StringComparer.Ordinal).ToEquatableArray();
        _byName = new Dictionary<string, BlockOutcome>();
        foreach (var outcome in _outcomes) _byName[outcome.TypeName] = outcome;
    }

    /// <summary>The blocks <paramref name="layers"/> use, directly or through other blocks.</summary>
    public BlockTable UsedBy(IEnumerable<LayerSpec> layers)
    {
        var used = new Dictionary<string, BlockOutcome>();
        var pending = new Stack<LayerSpec>(layers);
        while (pending.Count > 0)
        {
            var layer = pending.Pop();
            foreach (var branch in layer.Branches ?? EquatableArray<BranchSpec>.Empty)
            {
                foreach (var inner in branch.Layers) pending.Push(inner);
            }
            if (layer.Block is { } use && !used.ContainsKey(use.TypeName) && _byName.TryGetValue(use.TypeName, out var outcome))
            {
                used[use.TypeName] = outcome;
                foreach (var inner in outcome.Spec?.Body ?? EquatableArray<LayerSpec>.Empty) pending.Push(inner);
            }
        }
        return new BlockTable(used.Values);
    }

    public BlockOutcome this[string key] => _byName[key];
    public IEnumerable<string> Keys => _byName.Keys;
    public IEnumerable<BlockOutcome> Values => _byName.Values;
    public int Count => _byName.Count;
    public bool ContainsKey(string key) => _byName.ContainsKey(key);
    public bool TryGetValue(string key, out BlockOutcome value) => _byName.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, BlockOutcome>> GetEnumerator() => _byName.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(BlockTable? other) => other is not null && _outcomes.Equals(other._outcomes);
    public override bool Equals(object? obj) => Equals(obj as BlockTable);
    public override int GetHashCode() => _outcomes.GetHashCode();
}
