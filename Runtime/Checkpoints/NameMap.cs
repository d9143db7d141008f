using System;
using System.Collections.Generic;
using System.Linq;

namespace SlimGen.Checkpoints;

/// <summary>
/// Renames a checkpoint's keys into the model's, for checkpoints written by code that names layers differently, such as
/// torchvision's <c>features.0.weight</c> for SlimGen's <c>conv1.conv1_1.weight</c>.
/// </summary>
public sealed class NameMap
{
    private readonly Func<string, string> map;

    private NameMap(Func<string, string> map) => this.map = map;

    /// <summary>A map computed by a function from checkpoint key to model key.</summary>
    /// <param name="map">Returns the model's key for a checkpoint key; return the key itself to keep it.</param>
    public static NameMap FromFunction(Func<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new NameMap(map);
    }

    /// <summary>
    /// A map that renames scopes: with <c>{ "features.0": "conv1.conv1_1" }</c>, <c>features.0.weight</c> becomes
    /// <c>conv1.conv1_1.weight</c>. Prefixes match whole path segments (<c>features.1</c> does not rename
    /// <c>features.10.weight</c>), the longest matching prefix wins, and keys under no prefix keep their names. A whole
    /// key is a prefix too, so a dictionary of key-to-key renames works as it is.
    /// </summary>
    /// <param name="prefixes">Checkpoint scope to model scope; <c>/</c> may stand for <c>.</c>.</param>
    /// <exception cref="ArgumentException">A prefix or its replacement is not a scope, or two prefixes are the same scope.</exception>
    public static NameMap FromPrefixes(IReadOnlyDictionary<string, string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var renames = prefixes
            .Select(pair => (From: ScopeSet.Normalize(pair.Key), To: ScopeSet.Normalize(pair.Value)))
            .OrderByDescending(rename => rename.From.Length)
            .ToArray();
        var duplicate = renames.GroupBy(rename => rename.From).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The prefix '{duplicate.Key}' is listed twice (with '/' and '.').", nameof(prefixes));

        return new NameMap(key =>
        {
            foreach (var (from, to) in renames)
            {
                if (ScopeSet.Holds(from, key))
                    return to + key[from.Length..];
            }
            return key;
        });
    }

    /// <summary>Turns a function from checkpoint key to model key into a map; see <see cref="FromFunction"/>.</summary>
    public static implicit operator NameMap(Func<string, string> map) => FromFunction(map);

    /// <summary>Turns a dictionary of checkpoint scopes to model scopes into a map; see <see cref="FromPrefixes"/>.</summary>
    public static implicit operator NameMap(Dictionary<string, string> prefixes) => FromPrefixes(prefixes);

    /// <summary>The model's key for <paramref name="checkpointKey"/>.</summary>
    /// <exception cref="InvalidOperationException">The map's function returned null or an empty key.</exception>
    public string Apply(string checkpointKey)
    {
        var modelKey = map(checkpointKey);
        if (string.IsNullOrEmpty(modelKey))
            throw new InvalidOperationException($"The name map returned no key for checkpoint key '{checkpointKey}'.");
        return modelKey;
    }
}
